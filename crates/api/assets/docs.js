// Starts Swagger UI on the API's own document. Kept out of the page so that the page
// works under `Content-Security-Policy: default-src 'self'` (no inline script).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v2/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // The public validator badge would call a third-party server.
    validatorUrl: null,
    tryItOutEnabled: false,
    displayOperationId: true,
    defaultModelsExpandDepth: 0,
  });
});
