/**
 * Serving: the model cache (one ONNX Runtime session per loaded version, hot-swapped), the
 * prediction API, the Open Inference Protocol and status. Imports nothing from Azure Functions.
 */
package dev.greenlight.serving;
