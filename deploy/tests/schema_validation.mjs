// Validates Kubernetes objects offline against the API's schemas, with the
// npm package kubernetes-models, in two layers:
// - TypeScript, strictly: each object becomes an object literal of its
//   kind's interface (IDeployment, IService, …), so the compiler's excess
//   property checks reject every field the API does not have, at any depth
//   (a misspelt `readinesProbe` would otherwise be dropped by the API server
//   without a word), and wrong types and enum values;
// - the models' JSON schemas at run time (Model.validate()): required
//   fields, formats, integer-or-string values.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { toolsDir } from './manifests.mjs';

// The kubernetes-models module of an apiVersion and kind, e.g. "apps/v1",
// "Deployment" → "kubernetes-models/apps/v1/Deployment" (the core group's
// are under "v1/").
function modelModule(apiVersion, kind) {
  const module = `kubernetes-models/${apiVersion}/${kind}`;
  if (!fs.existsSync(path.join(toolsDir, `${module}.d.ts`))) {
    throw new Error(`no Kubernetes schema for apiVersion ${apiVersion}, kind ${kind}`);
  }
  return module;
}

const nameOf = (object) => `${object.kind} ${object.metadata?.name}`;

// The TypeScript source that types every object as its kind's interface and
// exports the models, for validate(); and the line each object starts on, to
// name it in the compiler's messages.
function typeScriptOf(objects) {
  const modules = new Map();  // module → alias
  for (const object of objects) {
    const module = modelModule(object.apiVersion, object.kind);
    if (!modules.has(module)) modules.set(module, `M${modules.size}`);
  }
  const aliasOf = (object) => modules.get(modelModule(object.apiVersion, object.kind));
  let source = [...modules].map(([module, alias]) => `import * as ${alias} from "${module}";\n`)
                   .join('');
  const firstLines = [];
  objects.forEach((object, i) => {
    firstLines.push(source.split('\n').length);
    source += `const o${i}: ${aliasOf(object)}.I${object.kind} = ` +
              `${JSON.stringify(object, null, 2)};\n`;
  });
  source += 'export const models = [\n' +
            objects.map((object, i) => `  {name: ${JSON.stringify(nameOf(object))}, ` +
                                       `model: new ${aliasOf(object)}.${object.kind}(o${i})},\n`)
                .join('') +
            '];\n';
  return {source, firstLines};
}

// The compiler's messages, each naming the object it is about.
function namedTypeErrors(output, objects, firstLines) {
  return output.split('\n').map((line) => {
    const at = /manifests\.ts\((\d+),\d+\): (.*)/.exec(line);
    if (!at) return line;
    const index = firstLines.findLastIndex((first) => first <= Number(at[1]));
    return `${index < 0 ? 'manifests.ts' : nameOf(objects[index])}, line ${at[1]}: ${at[2]}`;
  }).join('\n');
}

const kTsConfig = {
  compilerOptions: {
    strict: true,
    noEmitOnError: true,
    module: 'commonjs',
    moduleResolution: 'node',
    target: 'es2020',
    outDir: 'out',
    types: [],
    // The models' own declarations are not what is checked here.
    skipLibCheck: true,
  },
  files: ['manifests.ts'],
};

// Checks `objects`; returns {typeErrors, schemaErrors}: the compiler's
// messages (empty when it accepted them all) and one entry per object the
// JSON schemas refused (checked only when the compiler accepted them).
export function validateObjects(objects) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'summit-manifests-'));
  try {
    fs.symlinkSync(toolsDir, path.join(dir, 'node_modules'));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(kTsConfig));
    const {source, firstLines} = typeScriptOf(objects);
    fs.writeFileSync(path.join(dir, 'manifests.ts'), source);
    try {
      execFileSync(process.execPath, [path.join(toolsDir, 'typescript/bin/tsc'), '-p', dir],
                   {encoding: 'utf8', stdio: 'pipe'});
    } catch (error) {
      const output = `${error.stdout}${error.stderr}`.trim();
      return {typeErrors: namedTypeErrors(output, objects, firstLines), schemaErrors: []};
    }
    const {models} = createRequire(path.join(dir, 'out/'))('./manifests.js');
    const schemaErrors = [];
    for (const {name, model} of models) {
      try {
        model.validate();
      } catch (error) {
        schemaErrors.push(`${name}: ${error.message}`);
      }
    }
    return {typeErrors: '', schemaErrors};
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
}
