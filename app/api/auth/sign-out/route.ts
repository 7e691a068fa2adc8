import { handleSignOut } from '@/server/auth/handlers';
import { route } from '@/server/http/route';

export const dynamic = 'force-dynamic';
export const POST = route('auth.sign-out', (request) => handleSignOut(request));
