import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type * as PrismaDMMF from "@prisma/dmmf";
import { getDMMF } from "@prisma/get-dmmf";
import { repoRoot } from "@sipario/db";

export type DMMF = PrismaDMMF.Document;
export type DmmfModel = PrismaDMMF.Model;

let cached: Promise<DMMF> | undefined;

/**
 * Prisma 7's runtime `Prisma.dmmf` is trimmed (no isId, isRequired...), which
 * @adminjs/prisma needs; the full one is built from the schema file with the public
 * @prisma/get-dmmf (WASM, ~0.1 s), once per process.
 */
export function loadDmmf(): Promise<DMMF> {
  cached ??= readFile(join(repoRoot(), "packages", "db", "prisma", "schema.prisma"), "utf8").then((datamodel) => {
    const result = getDMMF({ datamodel });
    if ("reason" in result) throw new Error(`Cannot read schema.prisma for the back-office: ${result.reason}`);
    return result;
  });
  return cached;
}

/**
 * A model without some fields: they become invisible to AdminJS (never listed, filtered
 * or returned). Fields with a database default are shown as optional on the forms.
 */
export function modelWithout(model: DmmfModel, hidden: string[]): DmmfModel {
  return {
    ...model,
    fields: model.fields.filter((f) => !hidden.includes(f.name)).map((f) => (f.hasDefaultValue && f.isRequired ? { ...f, isRequired: false } : f)),
  };
}

export function findModel(dmmf: DMMF, name: string): DmmfModel {
  const model = dmmf.datamodel.models.find((m) => m.name === name);
  if (!model) throw new Error(`Model ${name} is missing from schema.prisma`);
  return model;
}
