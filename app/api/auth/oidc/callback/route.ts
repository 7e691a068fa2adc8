import { handleOidcCallback } from '@/server/auth/handlers';
import { route } from '@/server/http/route';

export const dynamic = 'force-dynamic';
export const GET = route('auth.oidc.callback', (request) => handleOidcCallback(request));
