import { handleDemoSignIn } from '@/server/auth/handlers';
import { route } from '@/server/http/route';

export const dynamic = 'force-dynamic';
export const POST = route('auth.demo', (request) => handleDemoSignIn(request));
