import { describe, expect, it } from 'vitest';
import { events, operationNames } from '../../src-shared/contract';
import {
  BRIDGE_EVENT_NAMES,
  BRIDGE_OPERATION_NAMES,
  isBridgeEventName,
  isBridgeOperationName,
} from './bridge-names';

describe("the preload's allow-lists", () => {
  it('name exactly the operations of the contract', () => {
    expect([...BRIDGE_OPERATION_NAMES].sort()).toEqual([...operationNames].sort());
  });

  it('name exactly the pushed events', () => {
    expect([...BRIDGE_EVENT_NAMES].sort()).toEqual(Object.keys(events).sort());
  });

  it('refuse anything else, including names inherited from Object', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'invoke', '']) {
      expect(isBridgeOperationName(name), name).toBe(false);
      expect(isBridgeEventName(name), name).toBe(false);
    }
    expect(isBridgeOperationName({ toString: () => 'health' })).toBe(false);
    expect(isBridgeOperationName('listPlaces')).toBe(true);
    expect(isBridgeEventName('scanProgress')).toBe(true);
  });
});
