import { describe, expect, it } from 'vitest';
import { Warning } from './topology';
import { FleetWarningCode, HypervisorWarningCode, SysfsWarningCode, VfSettingsWarningCode, WarningCode } from './warningCode';

describe('WarningCode', () => {
  it('has an emitter for every code: each is the sysfs reader’s, the hypervisor adapters’, the VF settings reader’s or the fleet’s (whose tests make each happen)', () => {
    const emitted = new Set([...SysfsWarningCode.options, ...HypervisorWarningCode.options, ...VfSettingsWarningCode.options, ...FleetWarningCode.options]);
    expect(WarningCode.options.filter((code) => !emitted.has(code))).toEqual([]);
  });

  it('is what a warning’s code must be', () => {
    expect(Warning.safeParse({ code: 'vanished', message: 'gone' }).success).toBe(true);
    expect(Warning.safeParse({ code: 'dangling-link', message: 'nothing emits this' }).success).toBe(false);
  });
});
