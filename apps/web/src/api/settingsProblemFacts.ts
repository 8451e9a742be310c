import { Problem, type ProblemAnswer } from '@vfmap/model';

/**
 * What the problems of the issue-14 writes say beyond title and detail: the VF setting a driver
 * refused and those applied before it (PUT …/config), and where a multi-step operation stopped
 * (prepare, re-apply: StepsStoppedProblem). The refused-setting fields are read loosely (a
 * string and a list of strings), so the page says them whatever variant carries them.
 */
export interface SettingRefusal {
  /** the setting the driver refused ("linkState"), as VfSettingName names it. */
  setting: string;
  /** the settings applied before it, in order; they stay applied. */
  applied: string[];
}

export interface StepsStopped {
  done: string[];
  failed: string;
  cause: string;
}

export function settingRefusalOf(answer: ProblemAnswer): SettingRefusal | null {
  const setting = typeof answer.setting === 'string' ? answer.setting : typeof answer.refusedSetting === 'string' ? answer.refusedSetting : null;
  if (setting === null) return null;
  const applied = Array.isArray(answer.applied) ? answer.applied.filter((a): a is string => typeof a === 'string') : [];
  return { setting, applied };
}

export function stepsStoppedOf(answer: ProblemAnswer): StepsStopped | null {
  const parsed = Problem.safeParse(answer);
  if (!parsed.success || !('reason' in parsed.data) || parsed.data.reason !== 'steps-stopped') return null;
  const p = parsed.data;
  return { done: p.done, failed: p.failed, cause: p.cause };
}
