// esbuild bundles `import text from './x.yaml' with { type: 'text' }` as the file's text.
declare module '*.yaml' {
  const text: string;
  export default text;
}
