/**
 * Demo and test material for Greenlight, shipped as a jar so other modules can seed from the classpath.
 *
 * <p>This package owns:
 * <ul>
 *   <li>the bundled UCI Iris data ({@link dev.greenlight.demo.IrisData}) and the reproducible training of the three
 *       {@code iris-clf} versions used in the promotion walkthrough ({@link dev.greenlight.demo.IrisTrainer}), which
 *       runs at build time and writes {@code dev/greenlight/demo/models/} into the jar;</li>
 *   <li>read access to those generated files ({@link dev.greenlight.demo.DemoModels},
 *       {@link dev.greenlight.demo.DemoManifest});</li>
 *   <li>hand-built ONNX fixtures for tests and benchmarks ({@link dev.greenlight.demo.OnnxGraphs}).</li>
 * </ul>
 *
 * <p>It does not serve models or talk to Azure; it only produces ONNX bytes and their registry-style metadata.
 */
package dev.greenlight.demo;
