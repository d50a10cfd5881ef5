/** Types of scripts/build-state.mjs (plain Node, run before anything is compiled). */
export interface BuildTarget {
  name: string;
  label: string;
  dirs: string[];
  extensions: string[] | null;
  exclude: RegExp[];
  files: string[];
  output: string;
  fingerprint: string;
  command: [string, string[]];
}
export interface BuildPlan {
  upToDate: boolean;
  reason: string | null;
  changed: string[];
  inputs: Record<string, { size: number; mtimeMs: number; hash: string }>;
}
export const TARGETS: BuildTarget[];
export const STAMP_DIR: string;
export function planBuild(root: string, target: BuildTarget): BuildPlan;
export function recordBuild(root: string, target: BuildTarget, plan: BuildPlan): void;
export function forgetBuild(root: string, target: BuildTarget): void;
