// Validates Kubernetes objects against the API's OpenAPI schemas with kubernetes-models: field types, required
// fields, enums and quantity formats. Reads a JSON array of objects on stdin; argv[2] is the folder holding
// node_modules/kubernetes-models. Prints one line per invalid object and exits 1 if there is any.
const path = require('path');
const models = path.join(process.argv[2], 'node_modules', 'kubernetes-models');
const objects = JSON.parse(require('fs').readFileSync(0, 'utf8'));
let invalid = 0;
for (const object of objects) {
  const name = `${object.kind} ${object.metadata && object.metadata.name}`;
  // "apps/v1" → apps/v1/Deployment; the core group "v1" → v1/Service.
  let Model;
  try {
    Model = require(path.join(models, object.apiVersion, object.kind))[object.kind];
  } catch {
    console.log(`${name}: no schema for ${object.apiVersion} ${object.kind}`);
    invalid++;
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    console.log(`${name}: ${error.message}`);
    invalid++;
  }
}
process.exit(invalid === 0 ? 0 : 1);
