const path = require('node:path');
const nodeExternals = require('webpack-node-externals');
const { TsconfigPathsPlugin } = require('tsconfig-paths-webpack-plugin');

const root = path.resolve(__dirname, '../..');

/**
 * One bundle for the api with the workspace libs compiled in and node_modules left external, so
 * `node dist/apps/api/main.js` runs against the installed dependencies. ts-loader (not esbuild or
 * swc) because Nest's dependency injection needs TypeScript's decorator metadata.
 */
module.exports = {
  target: 'node20',
  entry: path.join(__dirname, 'src/main.ts'),
  devtool: 'source-map',
  output: { path: path.join(root, 'dist/apps/api'), filename: 'main.js', clean: true },
  resolve: {
    extensions: ['.ts', '.js'],
    plugins: [new TsconfigPathsPlugin({ configFile: path.join(__dirname, 'tsconfig.app.json') })],
  },
  module: {
    rules: [
      {
        test: /\.ts$/,
        loader: 'ts-loader',
        options: { configFile: path.join(__dirname, 'tsconfig.app.json'), transpileOnly: true },
      },
    ],
  },
  externalsPresets: { node: true },
  externals: [nodeExternals({ modulesDir: path.join(root, 'node_modules') })],
  node: { __dirname: false, __filename: false },
  optimization: { minimize: false },
  performance: { hints: false },
  ignoreWarnings: [/Critical dependency/],
};
