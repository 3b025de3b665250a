import type { ResourceWithOptions } from "adminjs";
import { administration, modelResource, onlyIn, text, type ResourceDeps } from "./shared.ts";

export function userResource(deps: ResourceDeps): ResourceWithOptions {
  const { services } = deps;
  return {
    resource: modelResource(
      deps,
      "User",
      {
        auditsItself: ["create", "update", "delete"],
        create: (params, actor) =>
          services.createUser(
            { email: text(params.email) ?? "", name: text(params.name) ?? "", role: text(params.role) ?? "", password: text(params.password) ?? "" },
            actor,
          ),
        update: (id, params, actor) =>
          services.updateUser(
            id,
            Object.fromEntries(
              Object.entries({ email: text(params.email), name: text(params.name), role: text(params.role), password: text(params.password) }).filter(
                ([, v]) => v !== undefined,
              ),
            ),
            actor,
          ),
        delete: async (id, actor) => {
          await services.deleteUser(id, actor);
        },
      },
      ["passwordHash"],
    ),
    options: {
      navigation: administration,
      titleProperty: "email",
      listProperties: ["email", "name", "role", "createdAt"],
      filterProperties: ["email", "name", "role"],
      showProperties: ["email", "name", "role", "createdAt", "updatedAt"],
      editProperties: ["email", "name", "role", "password"],
      properties: {
        password: {
          type: "password",
          isVisible: onlyIn("edit"),
          description: "passwordHelp",
        },
      },
      actions: { bulkDelete: { isAccessible: false } },
    },
  };
}
