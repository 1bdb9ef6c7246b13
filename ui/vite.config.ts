import { defineConfig } from "vitest/config";

// The build writes straight into the Maven module's classes folder: the ui jar then carries the files under
// META-INF/resources, which Quarkus serves at /.
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "target/classes/META-INF/resources",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev` against a server on :8080
    proxy: { "/v1": "http://127.0.0.1:8080", "/q": "http://127.0.0.1:8080" },
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});
