/** Public surface of the neural renderer: what training/inference services import. */
export { selectBackend, BACKEND_ORDER, type BackendId, type BackendChoice, type BackendAttempt } from './backend/select.js';
export { registerWasmTrainingKernels } from './kernels/register.js';
export { PROFILES, getProfile, profileSignature, INPUT_CHANNELS, OUTPUT_CHANNELS, type NetProfile, type ProfileName } from './model/profiles.js';
export { countParams, generatorParams, discriminatorParams } from './model/params.js';
export { ParallelTrainer, createParallelTrainer, defaultThreads, type ParallelTrainerOptions } from './train/parallel.js';
export { createTrainer, type Trainer, type TrainBatch, type StepLosses, type TrainerOptions } from './train/trainer.js';
export { estimateMemory, checkMemory, ensureFits, memoryLimitBytes, type MemoryEstimate, type MemoryCheck } from './train/memory.js';
export { serializeCheckpoint, deserializeCheckpoint, CHECKPOINT_FORMAT, type Checkpoint, type CheckpointTensor } from './checkpoint/checkpoint.js';
export { Rng, type RngState } from './train/rng.js';
