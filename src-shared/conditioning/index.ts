export { cropCamera, fullFrameCamera, projectPoints, type CropBox, type PixelCamera } from './camera.js';
export { VisibilityBuffer } from './raster/visibility.js';
export { rasterizeTriangles } from './raster/rasterize.js';
export { resolveAttribute } from './raster/resolve.js';
export { shadeVerticesSigned, SH_CONSTANTS, SH_GLSL } from './shading/sh.js';
export { computeVertexNormals } from './shading/normals.js';
export { posePoints, poseRotation, type Pose } from './pose.js';
export { buildEyeRig, fanTriangulate, trianglesInsideContour, type EyeRig } from './gaze/eyeRig.js';
export { eyeClass, makeEyeState, emptyEyeState, eyeStatesForFrame, analyticBlink, EYEBALL_RADIUS_RATIO, PUPIL_RADIUS_RATIO, MESH_LID_RESIDUAL_FROM, type EyeState, type EyeFrameInput } from './gaze/eyeShape.js';
export { irisPupilLocal } from './gaze/irisPupil.js';
export { buildTopology, correspondenceColors, type RenderTopology, type TopologyInput } from './render-topology.js';
export {
  ConditioningRenderer,
  CHANNELS_PER_FRAME,
  IMAGE_KINDS,
  frameImageToRgb8,
  type FrameGeometry,
  type ImageKind,
} from './images/renderer.js';
export { headBox, type FramingOptions } from './crop/headBox.js';
export { smoothCrops, gaussianSmooth, type SmoothOptions } from './crop/smoothCrops.js';
export { FrameCache } from './window/frameCache.js';
export { WindowAssembler, WINDOW_CHANNELS, WINDOW_FRAMES, windowFrameIndex } from './window/spaceTime.js';
export { appendReference, meanOfImages, ReferenceIndex, REFERENCE_EXCLUSION_FRAMES } from './window/reference.js';
export { BlockedMean, fillUnseen, isFacePixel, LocalTextures, TextureBuilder, TextureSampler, type CorrespondenceView } from './window/texture.js';
export { ellipsoidHead, uniformAlbedo, type SyntheticHead } from './synthetic/ellipsoidHead.js';
export { faceRenderTopology, frameGeometryFromFace } from './faceMesh.js';
export { centredCamera, syntheticFrame } from './synthetic/scene.js';
export { FaceConditioning } from './pipeline.js';
