interface OpenApiParameter {
  name: string;
  in: string;
  example?: unknown;
  examples?: unknown;
  schema?: { example?: unknown; examples?: unknown; default?: unknown };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: OpenApiParameter[] }>>;
}

/** Query parameters that only size a page: a default there narrows nothing. */
const PAGING = new Set(['limit']);

/**
 * Query parameters that Swagger UI's "Try it out" would pre-fill, as `METHOD path name`: an example or
 * a default on a filter makes a first call filter by it (and often return nothing). Examples of a
 * filter belong in its description.
 */
export function prefilledQueryParameters(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).flatMap(([method, operation]) =>
      (operation.parameters ?? [])
        .filter((p) => p.in === 'query')
        .filter(
          (p) =>
            p.example !== undefined ||
            p.examples !== undefined ||
            p.schema?.example !== undefined ||
            p.schema?.examples !== undefined ||
            (p.schema?.default !== undefined && !PAGING.has(p.name)),
        )
        .map((p) => `${method.toUpperCase()} ${path} ${p.name}`),
    ),
  );
}
