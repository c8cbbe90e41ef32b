// Renders /openapi.json with Swagger UI. "Try it out" sends requests to this local runtime, which
// serves the /v1 routes without IAM (the document's own servers stay listed after it).

fetch('/openapi.json')
  .then((response) => response.json())
  .then((spec) => {
    spec.servers = [
      { url: window.location.origin, description: 'This local runtime' },
      ...(spec.servers || []),
    ];
    window.SwaggerUIBundle({
      spec,
      dom_id: '#api-reference',
      deepLinking: true,
      docExpansion: 'list',
      defaultModelsExpandDepth: 0,
    });
  })
  .catch((error) => {
    document.getElementById('api-reference').textContent = `Could not load /openapi.json: ${error.message}`;
  });
