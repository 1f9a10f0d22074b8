/**
 * cast_* (deprecated, still OPA builtins), object.subset, graph.reachable_paths and
 * numbers.range_step (v1/topdown/casts.go, subset.go, reachable.go, numbers.go).
 */
import { BuiltinError, obj, operandErr, operandTypeErr, toBigInt, type Registry } from "./types.js";
import { equal, intValue, RNum, RObject, RSet, type Value } from "./value.js";

function objectSubset(sup: RObject, sub: RObject): boolean {
  return sub.entries.every(([k, subV]) => {
    const supV = sup.get(k);
    if (supV === undefined) return false;
    if (equal(subV, supV)) return true;
    if (supV instanceof RObject && subV instanceof RObject) return objectSubset(supV, subV);
    if (supV instanceof RSet && subV instanceof RSet) return subV.items.every((x) => supV.has(x));
    if (Array.isArray(supV) && Array.isArray(subV)) return arraySubset(supV, subV);
    return false;
  });
}

function arraySubset(sup: Value[], sub: Value[]): boolean {
  if (sub.length > sup.length) return false;
  if (equal(sub, sup)) return true;
  let supCursor = 0;
  let subCursor = 0;
  for (;;) {
    if (subCursor === sub.length) return true;
    if (supCursor + subCursor === sup.length) return false;
    if (equal(sup[supCursor + subCursor]!, sub[subCursor]!)) subCursor++;
    else {
      supCursor++;
      subCursor = 0;
    }
  }
}

function subset(sup: Value, sub: Value): boolean {
  if (sup instanceof RObject && sub instanceof RObject) return objectSubset(sup, sub);
  if (sup instanceof RSet && sub instanceof RSet) return sub.items.every((x) => sup.has(x));
  if (Array.isArray(sup) && Array.isArray(sub)) return arraySubset(sup, sub);
  if (Array.isArray(sup) && sub instanceof RSet) {
    // arraySetSubset: true as soon as every member of the set was seen (counting repeats).
    let unmatched = sub.size;
    return sup.some((t) => {
      if (sub.has(t)) unmatched--;
      return unmatched === 0;
    });
  }
  throw new BuiltinError("both arguments object.subset must be of the same type or array and set", "eval_type_error");
}

function vertices(v: Value | undefined): readonly Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof RSet) return v.items;
  return [];
}

function reachablePaths(graph: RObject, initial: Value): RSet {
  const out: Value[] = [];
  const build = (root: Value, path0: Value[], reached0: RSet): void => {
    const edges = graph.get(root);
    if (edges === undefined) {
      out.push(path0);
      return;
    }
    const path = [...path0, root];
    if (vertices(edges).length === 0) {
      out.push(path);
      return;
    }
    const reached = new RSet([...reached0.items, root]);
    for (const n of vertices(edges)) {
      if (reached.has(n)) out.push(path);
      else build(n, [...path], reached);
    }
  };
  let queue: readonly Value[];
  if (Array.isArray(initial)) queue = initial;
  else if (initial instanceof RSet) queue = initial.items;
  else throw operandTypeErr(2, initial, "{array, set}");
  for (const node of queue) {
    const edges = graph.get(node);
    if (edges === undefined) continue;
    if (vertices(edges).length >= 1) for (const n of vertices(edges)) build(n, [node], new RSet([node]));
    else out.push([node]);
  }
  return new RSet(out);
}

/** builtins.BigIntOperand */
function bigIntOperand(v: Value | undefined, pos: number): bigint {
  if (!(v instanceof RNum)) throw operandTypeErr(pos, v ?? null, "integer");
  const i = toBigInt(v);
  if (i === undefined) throw operandErr(pos, "must be integer number but got floating-point number");
  return i;
}

function rangeStep(a: Value | undefined, b: Value | undefined, s: Value | undefined): Value[] {
  const x = bigIntOperand(a, 1);
  const y = bigIntOperand(b, 2);
  const step = bigIntOperand(s, 3);
  if (step <= 0n) throw new BuiltinError("numbers.range_step: step must be a positive integer");
  const out: Value[] = [];
  if (x <= y) for (let i = x; i <= y; i += step) out.push(intValue(i));
  else for (let i = x; i >= y; i -= step) out.push(intValue(i));
  return out;
}

export const COLLECTIONS: Registry = {
  cast_array: ([v]) => {
    if (Array.isArray(v)) return v;
    if (v instanceof RSet) return [...v.items];
    throw operandTypeErr(1, v ?? null, "array", "set");
  },
  cast_set: ([v]) => {
    if (Array.isArray(v)) return new RSet(v);
    if (v instanceof RSet) return v;
    throw operandTypeErr(1, v ?? null, "array", "set");
  },
  cast_string: ([v]) => {
    if (typeof v === "string") return v;
    throw operandTypeErr(1, v ?? null, "string");
  },
  cast_boolean: ([v]) => {
    if (typeof v === "boolean") return v;
    throw operandTypeErr(1, v ?? null, "boolean");
  },
  cast_null: ([v]) => {
    if (v === null) return v;
    throw operandTypeErr(1, v ?? null, "null");
  },
  cast_object: ([v]) => obj(v, 1),
  "object.subset": ([a, b]) => subset(a!, b!),
  "graph.reachable_paths": ([g, i]) => reachablePaths(obj(g, 1), i!),
  "numbers.range_step": ([a, b, s]) => rangeStep(a, b, s),
};
