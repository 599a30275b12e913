/** Public surface of the neural renderer: what training/inference services import. */
export { selectBackend, BACKEND_ORDER, type BackendId, type BackendChoice, type BackendAttempt } from './backend/select.js';
export { registerWasmTrainingKernels } from './kernels/register.js';
export {
  PROFILES, getProfile, profileSignature, profileVariant, resolveProfile, parseProfileOverrides, requiredNetworkVersion,
  NETWORK_VERSION, PROFILE_OVERRIDES_ENV, DEFAULT_OPTIONS, INPUT_CHANNELS, OUTPUT_CHANNELS,
  type NetProfile, type ProfileName, type ProfileOptions, type ProfileOverrides, type UpsampleMode, type LrSchedule,
} from './model/profiles.js';
export { countParams, generatorParams, discriminatorParams } from './model/params.js';
export { generatorLayers, dropoutShapes, type GeneratorLayer, type DownLayer, type UpLayer } from './model/topology.js';
export { createGenerator, type GeneratorRunner, type GeneratorOptions } from './model/generator-runner.js';
export { ParallelTrainer, createParallelTrainer, defaultThreads, type ParallelTrainerOptions } from './train/parallel.js';
export { createTrainer, type Trainer, type TrainBatch, type StepLosses, type TrainerOptions } from './train/trainer.js';
export { estimateMemory, checkMemory, ensureFits, memoryLimitBytes, type MemoryEstimate, type MemoryCheck } from './train/memory.js';
export { serializeCheckpoint, deserializeCheckpoint, CHECKPOINT_FORMAT, type Checkpoint, type CheckpointTensor } from './checkpoint/checkpoint.js';
export { assertCheckpointFits, checkpointProfile, checkpointNetworkVersion } from './checkpoint/compat.js';
export { Rng, type RngState } from './train/rng.js';
