import { redirect } from 'next/navigation';

export default async function Home({
  searchParams,
}: {
  searchParams: Promise<Record<string, string>>;
}): Promise<never> {
  const query = new URLSearchParams(await searchParams).toString();
  redirect(`/overview${query ? `?${query}` : ''}`);
}
