export interface BenchRow {
  name: string;
  ours: number;
  reference: number;
  unit: string;
  /** ours ÷ reference. */
  ratio: number;
  goal: string;
  pass: boolean;
}

export interface Bench {
  run(): Promise<BenchRow[]>;
}
