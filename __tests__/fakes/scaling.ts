// A scripted Application Auto Scaling for in-process tests: ECS scalable targets and target-tracking policies
// in the SDK's shapes, every call recorded; faults: an error at the n-th call, or on every call of an operation.
export interface ScalingCall {
  readonly op: string;
  readonly input: Record<string, unknown>;
  readonly error?: string;
}

interface Target {
  MinCapacity: number;
  MaxCapacity: number;
  SuspendedState: {
    DynamicScalingInSuspended: boolean;
    DynamicScalingOutSuspended: boolean;
    ScheduledScalingSuspended: boolean;
  };
}

export class FakeScaling {
  readonly calls: ScalingCall[] = [];
  readonly targets = new Map<string, Target>();
  readonly policies = new Map<string, Record<string, unknown>>();
  private readonly faults: { index?: number; op?: string; error: () => Error }[] = [];

  /** A target registered before the deploy (by someone, or by an earlier run). */
  addTarget(resourceId: string, min: number, max: number, suspended: Partial<Target['SuspendedState']> = {}) {
    this.targets.set(resourceId, {
      MinCapacity: min,
      MaxCapacity: max,
      SuspendedState: {
        DynamicScalingInSuspended: false,
        DynamicScalingOutSuspended: false,
        ScheduledScalingSuspended: false,
        ...suspended,
      },
    });
  }

  /** The `index`-th call from now on (0 = the next) fails with `error`. */
  failCall(index: number, error: () => Error): void {
    this.faults.push({ index: this.calls.length + index, error });
  }
  /** Every call of `op` fails with `error`. */
  failAll(op: string, error: () => Error): void {
    this.faults.push({ op, error });
  }

  scaleInSuspended(resourceId: string): boolean | undefined {
    return this.targets.get(resourceId)?.SuspendedState.DynamicScalingInSuspended;
  }

  /** Calls that change something. */
  writes(): ScalingCall[] {
    return this.calls.filter((c) => !c.op.startsWith('Describe') && !c.error);
  }

  send(command: object): Promise<unknown> {
    const { input, constructor } = command as {
      input: Record<string, unknown>;
      constructor: { name: string };
    };
    const op = constructor.name.replace(/Command$/, '');
    const index = this.calls.length;
    const fault = this.faults.find((f) => f.index === index || f.op === op);
    if (fault) {
      const error = fault.error();
      this.calls.push({ op, input, error: error.name });
      return Promise.reject(error);
    }
    this.calls.push({ op, input });
    try {
      return Promise.resolve(this.answer(op, input));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  private answer(op: string, input: Record<string, unknown>): unknown {
    const id = String(input.ResourceId ?? '');
    switch (op) {
      case 'DescribeScalableTargets':
        return {
          ScalableTargets: ((input.ResourceIds as string[] | undefined) ?? [...this.targets.keys()])
            .filter((r) => this.targets.has(r))
            .map((r) => ({
              ServiceNamespace: 'ecs',
              ResourceId: r,
              ...structuredClone(this.targets.get(r)),
            })),
        };
      case 'DescribeScalingPolicies':
        return {
          ScalingPolicies: [...this.policies.values()].filter(
            (p) =>
              p.ResourceId === id &&
              (!input.PolicyNames || (input.PolicyNames as string[]).includes(String(p.PolicyName))),
          ),
        };
      case 'RegisterScalableTarget': {
        const existing = this.targets.get(id);
        if (!existing && (input.MinCapacity === undefined || input.MaxCapacity === undefined)) {
          throw Object.assign(new Error('MinCapacity and MaxCapacity are required'), {
            name: 'ValidationException',
          });
        }
        const t: Target = existing ?? {
          MinCapacity: 0,
          MaxCapacity: 0,
          SuspendedState: {
            DynamicScalingInSuspended: false,
            DynamicScalingOutSuspended: false,
            ScheduledScalingSuspended: false,
          },
        };
        if (input.MinCapacity !== undefined) t.MinCapacity = input.MinCapacity as number;
        if (input.MaxCapacity !== undefined) t.MaxCapacity = input.MaxCapacity as number;
        if (input.SuspendedState)
          t.SuspendedState = { ...t.SuspendedState, ...(input.SuspendedState as object) };
        this.targets.set(id, t);
        return {
          ScalableTargetARN: `arn:aws:application-autoscaling:eu-west-1:123456789012:scalable-target/0e${id.length}`,
        };
      }
      case 'PutScalingPolicy':
        if (!this.targets.has(id))
          throw Object.assign(new Error('no target'), { name: 'ObjectNotFoundException' });
        this.policies.set(`${id} ${String(input.PolicyName)}`, { ...input });
        return { PolicyARN: `arn:policy/${String(input.PolicyName)}`, Alarms: [] };
      case 'DeleteScalingPolicy':
        if (!this.policies.delete(`${id} ${String(input.PolicyName)}`))
          throw Object.assign(new Error('no policy'), { name: 'ObjectNotFoundException' });
        return {};
      default:
        throw new Error(`FakeScaling: ${op} is not scripted`);
    }
  }
}
