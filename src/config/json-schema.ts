import * as z from "zod";
import { configSchema } from "./schema.js";

/** The config's JSON Schema, published so editors can complete `.github/capgate.yml`. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { target: "draft-2020-12", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return {
    title: "capgate config (.github/capgate.yml)",
    ...schema,
  };
}
