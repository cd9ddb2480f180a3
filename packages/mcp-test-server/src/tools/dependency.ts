import { defineTool, pyDocstring } from "../define-tool.js";

/** Tools whose inputs come from other tools' outputs, for multi-turn tool calling. */

const USER_IDS: Record<string, string> = {
  alice: "user_12345",
  bob: "user_67890",
  charlie: "user_11111",
  admin: "user_00000",
};
const UNKNOWN_USER_ID = "user_99999";

const PERMISSIONS: Record<string, string> = {
  user_12345: "read,write",
  user_67890: "read",
  user_11111: "admin",
  user_00000: "superadmin",
  [UNKNOWN_USER_ID]: "none",
};

const EXPERIMENT_IDS: Record<string, string> = {
  temperature_test: "exp_001",
  pressure_test: "exp_002",
  chemical_reaction: "exp_003",
  boiling_point: "exp_004",
};
const UNKNOWN_EXPERIMENT_ID = "exp_999";

const EXPERIMENT_RESULTS: Record<string, string> = {
  exp_001: "Temperature: 25°C, Status: Success",
  exp_002: "Pressure: 1.2 atm, Status: Success",
  exp_003: "Yield: 85%, Status: Complete",
  exp_004: "Boiling Point: 100°C, Status: Verified",
  [UNKNOWN_EXPERIMENT_ID]: "No results found",
};

function permissionsOf(userId: string): string {
  return PERMISSIONS[userId] ?? "none";
}

/** yes/no by permission level and file name, with upstream's precedence. */
export function fileAccess(userId: string, filename: string): "yes" | "no" {
  const permissions = permissionsOf(userId);
  if (permissions === "superadmin") return "yes";
  if (permissions === "admin") return filename.startsWith("secret_") ? "no" : "yes";
  if (permissions.includes("write")) return filename.endsWith(".txt") ? "yes" : "no";
  if (permissions.includes("read")) return filename.endsWith(".txt") || filename.endsWith(".md") ? "yes" : "no";
  return "no";
}

export const getUserId = defineTool<{ username: string }>({
  name: "get_user_id",
  description: pyDocstring(
    [
      "Get the user ID for a given username. This ID is needed for other operations.",
      "",
      ":param username: The username to look up",
      ":return: The user ID for the username",
    ].join("\n"),
  ),
  params: [{ name: "username", type: "string" }],
  returns: "string",
  run: ({ username }) => USER_IDS[username.toLowerCase()] ?? UNKNOWN_USER_ID,
});

export const getUserPermissions = defineTool<{ user_id: string }>({
  name: "get_user_permissions",
  description: pyDocstring(
    [
      "Get the permissions for a user ID. Requires a valid user ID from get_user_id.",
      "",
      ":param user_id: The user ID to check permissions for",
      ":return: The permissions for the user",
    ].join("\n"),
  ),
  params: [{ name: "user_id", type: "string" }],
  returns: "string",
  run: ({ user_id }) => permissionsOf(user_id),
});

export const checkFileAccess = defineTool<{ user_id: string; filename: string }>({
  name: "check_file_access",
  description: pyDocstring(
    [
      "Check if a user can access a specific file. Requires a valid user ID.",
      "",
      ":param user_id: The user ID to check access for",
      ":param filename: The filename to check access to",
      ":return: Whether the user can access the file (yes/no)",
    ].join("\n"),
  ),
  params: [
    { name: "user_id", type: "string" },
    { name: "filename", type: "string" },
  ],
  returns: "string",
  run: ({ user_id, filename }) => fileAccess(user_id, filename),
});

export const getExperimentId = defineTool<{ experiment_name: string }>({
  name: "get_experiment_id",
  description: pyDocstring(
    [
      "Get the experiment ID for a given experiment name. This ID is needed to get results.",
      "",
      ":param experiment_name: The name of the experiment",
      ":return: The experiment ID",
    ].join("\n"),
  ),
  params: [{ name: "experiment_name", type: "string" }],
  returns: "string",
  run: ({ experiment_name }) => EXPERIMENT_IDS[experiment_name.toLowerCase()] ?? UNKNOWN_EXPERIMENT_ID,
});

export const getExperimentResults = defineTool<{ experiment_id: string }>({
  name: "get_experiment_results",
  description: pyDocstring(
    [
      "Get the results for an experiment ID. Requires a valid experiment ID from get_experiment_id.",
      "",
      ":param experiment_id: The experiment ID to get results for",
      ":return: The experiment results",
    ].join("\n"),
  ),
  params: [{ name: "experiment_id", type: "string" }],
  returns: "string",
  run: ({ experiment_id }) => EXPERIMENT_RESULTS[experiment_id] ?? "Invalid experiment ID",
});

export const dependencyTools = [getUserId, getUserPermissions, checkFileAccess, getExperimentId, getExperimentResults];
