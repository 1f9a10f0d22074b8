/** Reading values back from `opa_value_dump` text. */
import { RNum, RObject, RSet, type Value } from "./value.js";

const NUMBER_AT = /-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?/y;

/** Parses `opa_value_dump` output: JSON plus set literals and non-string object keys. */
export function parseValue(text: string): Value {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\t" || text[i] === "\r")) i++;
  };
  const fail = (): never => {
    throw new Error(`parse rego value: unexpected ${JSON.stringify(text.slice(i, i + 20))} at ${i}`);
  };
  const value = (): Value => {
    ws();
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const s = JSON.parse(text.slice(i, j + 1)) as string;
      i = j + 1;
      return s;
    }
    if (c === "[") {
      i++;
      const out: Value[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return out;
        } else fail();
      }
    }
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return new RObject([]);
      }
      const first = value();
      ws();
      if (text[i] === ":") {
        const entries: Array<[Value, Value]> = [];
        let key = first;
        for (;;) {
          i++; // ':'
          entries.push([key, value()]);
          ws();
          if (text[i] === "}") {
            i++;
            return new RObject(entries);
          }
          if (text[i] !== ",") fail();
          i++;
          key = value();
          ws();
          if (text[i] !== ":") fail();
        }
      }
      const items: Value[] = [first];
      for (;;) {
        ws();
        if (text[i] === "}") {
          i++;
          return new RSet(items);
        }
        if (text[i] !== ",") fail();
        i++;
        items.push(value());
      }
    }
    if (text.startsWith("set()", i)) {
      i += 5;
      return new RSet([]);
    }
    if (text.startsWith("null", i)) {
      i += 4;
      return null;
    }
    if (text.startsWith("true", i)) {
      i += 4;
      return true;
    }
    if (text.startsWith("false", i)) {
      i += 5;
      return false;
    }
    NUMBER_AT.lastIndex = i;
    const m = NUMBER_AT.exec(text);
    if (!m) fail();
    i += m![0].length;
    return new RNum(m![0]);
  };
  const v = value();
  ws();
  if (i !== text.length) fail();
  return v;
}
