/**
 * The one-way arrows of ARCHITECTURE.md, enforced:
 * model ← sysfs, simhost, hypervisors ← agent; web imports model only; no package imports an app.
 */
const pkg = (name) => `^packages/${name}/`;
module.exports = {
  forbidden: [
    { name: 'model-imports-nothing-of-ours', severity: 'error', from: { path: pkg('model') }, to: { path: '^(packages/(sysfs|simhost|hypervisors)|apps)/' } },
    // Tests may read one package with another (simhost's tests read their trees back with the real reader).
    { name: 'leaf-packages-import-only-model', severity: 'error', from: { path: '^packages/(sysfs|simhost|hypervisors)/', pathNot: '[.]test[.]ts$' }, to: { path: '^(packages/(sysfs|simhost|hypervisors)|apps)/', pathNot: '^packages/$1/' } },
    { name: 'no-package-imports-an-app', severity: 'error', from: { path: '^packages/' }, to: { path: '^apps/' } },
    { name: 'web-imports-only-model', severity: 'error', from: { path: '^apps/web/' }, to: { path: '^(packages/(sysfs|simhost|hypervisors)|apps/agent)/' } },
    { name: 'agent-does-not-import-web', severity: 'error', from: { path: '^apps/agent/' }, to: { path: '^apps/web/' } },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(node_modules|/dist/)' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};
