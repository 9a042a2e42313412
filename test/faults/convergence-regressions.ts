// Seeds of the convergence row that once failed, replayed on every run before the fresh seeds.
// Add a seed here (with what it caught) whenever the row finds a failure.
export const convergenceRegressionSeeds: readonly { seed: number; caught: string }[] = [];
