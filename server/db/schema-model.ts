// A small reader of prisma/schema.prisma for the drift check: each model's scalar columns with
// nullability, its primary key and unique constraints. (Relations and comments are skipped.)
import { readFileSync } from "node:fs";

export type ModelColumn = { name: string; type: string; nullable: boolean; autoincrement: boolean };
export type SchemaModel = { name: string; columns: ModelColumn[]; primaryKey: string[]; uniques: string[][]; indexes: string[][]; parents: string[] };

const SCALARS = new Set(["String", "Int", "BigInt", "Float", "Boolean", "DateTime", "Decimal", "Json", "Bytes"]);

export const readSchemaModels = (file: string): SchemaModel[] => {
  const text = readFileSync(file, "utf8");
  const models: SchemaModel[] = [];
  for (const m of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const model: SchemaModel = { name: m[1]!, columns: [], primaryKey: [], uniques: [], indexes: [], parents: [] };
    for (const raw of m[2]!.split("\n")) {
      const line = raw.replace(/\/\/.*$/, "").trim();
      if (!line) continue;
      const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);
      const block = line.match(/^@@(id|unique|index)\(\[([^\]]*)\]/);
      if (block) {
        const cols = list(block[2]!);
        if (block[1] === "id") model.primaryKey = cols;
        else if (block[1] === "unique") model.uniques.push(cols);
        else model.indexes.push(cols);
        continue;
      }
      const field = line.match(/^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/);
      if (field && /@relation\(fields:/.test(field[5]!)) model.parents.push(field[2]!);
      if (!field || !SCALARS.has(field[2]!) || field[3]) continue;
      model.columns.push({ name: field[1]!, type: field[2]!, nullable: Boolean(field[4]), autoincrement: /@default\(autoincrement\(\)\)/.test(field[5]!) });
      if (/@id\b/.test(field[5]!)) model.primaryKey = [field[1]!];
      if (/@unique\b/.test(field[5]!)) model.uniques.push([field[1]!]);
    }
    models.push(model);
  }
  return models;
};
