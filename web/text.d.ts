// esbuild loads the boot sources as text for the browser build.
declare module "*.S" { const text: string; export default text; }
declare module "*.h" { const text: string; export default text; }
