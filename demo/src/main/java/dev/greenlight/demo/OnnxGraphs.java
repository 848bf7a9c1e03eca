package dev.greenlight.demo;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Hand-built ONNX models for tests and benchmarks, serialised to {@code byte[]}. Each one exercises a part of the
 * serving path that the Iris models do not: many input/output types, arbitrary class counts, real compute cost,
 * fixed shapes. All use IR version 8 and the default-domain opset 13.
 */
public final class OnnxGraphs {

    public static final long IR_VERSION = 8;
    public static final long OPSET = 13;

    /** Symbolic batch dimension shared by the dynamic-batch fixtures. */
    public static final String BATCH = "N";

    public static final int HEAVY_DEFAULT_WIDTH = 1024;
    public static final int HEAVY_DEFAULT_LAYERS = 12;

    private static final String LABELS_KEY = "labels";

    private OnnxGraphs() {
    }

    /**
     * Six inputs of six element types, five outputs: {@code y = x * float(scale)}, {@code not_mask = !mask},
     * {@code ids_out = ids}, {@code weights_sum = sum(weights, axis 1)}, {@code names_out = names}.
     * Shapes: x [N,3] FP32, scale [] INT64, mask [N] BOOL, ids [N] INT32, weights [N,2] FP64, names [N] STRING.
     */
    public static byte[] multiIo() {
        GraphProto graph = GraphProto.newBuilder()
                .setName("multi_io")
                .addInput(tensor("x", DataType.FLOAT, BATCH, 3))
                .addInput(tensor("scale", DataType.INT64))
                .addInput(tensor("mask", DataType.BOOL, BATCH))
                .addInput(tensor("ids", DataType.INT32, BATCH))
                .addInput(tensor("weights", DataType.DOUBLE, BATCH, 2))
                .addInput(tensor("names", DataType.STRING, BATCH))
                .addInitializer(int64s("weights_sum_axes", new long[] {1}, 1))
                .addNode(node("Cast", "cast_scale", List.of("scale"), List.of("scale_f"))
                        .addAttribute(intAttribute("to", DataType.FLOAT_VALUE)))
                .addNode(node("Mul", "scale_x", List.of("x", "scale_f"), List.of("y")))
                .addNode(node("Not", "negate_mask", List.of("mask"), List.of("not_mask")))
                .addNode(node("Identity", "copy_ids", List.of("ids"), List.of("ids_out")))
                // From opset 13 ReduceSum takes its axes as a second input rather than an attribute.
                .addNode(node("ReduceSum", "sum_weights", List.of("weights", "weights_sum_axes"), List.of("weights_sum"))
                        .addAttribute(intAttribute("keepdims", 0)))
                .addNode(node("Identity", "copy_names", List.of("names"), List.of("names_out")))
                .addOutput(tensor("y", DataType.FLOAT, BATCH, 3))
                .addOutput(tensor("not_mask", DataType.BOOL, BATCH))
                .addOutput(tensor("ids_out", DataType.INT32, BATCH))
                .addOutput(tensor("weights_sum", DataType.DOUBLE, BATCH))
                .addOutput(tensor("names_out", DataType.STRING, BATCH))
                .build();
        return model(graph, "Fixture: one input and output per supported element type, including a scalar.", null);
    }

    /**
     * A linear layer plus softmax with seeded Gaussian weights: {@code features} FP32 [N,features] to
     * {@code probabilities} FP32 [N,classes], labels in the {@code labels} metadata entry.
     */
    public static byte[] classifier(int features, int classes, long seed, List<String> labels) {
        if (features < 1 || classes < 2) {
            throw new IllegalArgumentException("need features >= 1 and classes >= 2, got " + features + ", " + classes);
        }
        if (labels.size() != classes) {
            throw new IllegalArgumentException(classes + " classes but " + labels.size() + " labels: " + labels);
        }
        Random random = new Random(seed);
        GraphProto graph = GraphProto.newBuilder()
                .setName("classifier")
                .addInput(tensor("features", DataType.FLOAT, BATCH, features))
                .addInitializer(floats("weight", gaussian(random, features * classes, 1.0), features, classes))
                .addInitializer(floats("bias", gaussian(random, classes, 0.1), classes))
                .addNode(node("MatMul", "project", List.of("features", "weight"), List.of("logits_raw")))
                .addNode(node("Add", "add_bias", List.of("logits_raw", "bias"), List.of("logits")))
                .addNode(node("Softmax", "softmax", List.of("logits"), List.of("probabilities"))
                        .addAttribute(intAttribute("axis", -1)))
                .addOutput(tensor("probabilities", DataType.FLOAT, BATCH, classes))
                .build();
        return model(graph, "Fixture: seeded random linear classifier.", labels);
    }

    /**
     * A compute-bound MLP for latency benchmarks: {@code x} FP32 [N,width], {@code layers} times MatMul by a
     * seeded [width,width] weight then Relu, then a MatMul to 3 classes and Softmax into {@code probabilities}
     * FP32 [N,3] with labels a, b, c.
     *
     * <p>All hidden layers share one weight initializer. A single-row call is a chain of matrix-vector products,
     * which touch each weight once; with a distinct matrix per layer the cost would be set by memory bandwidth and
     * jump once the weights outgrow the CPU cache. Sharing keeps the weights cache-resident, so the cost grows
     * linearly with {@code layers} (the knob to calibrate) and the file stays at one matrix. The weights are
     * He-uniform (bound sqrt(6/width)), which keeps activations of roughly constant size through the Relu layers,
     * so deep chains neither overflow nor vanish.
     */
    public static byte[] heavy(int width, int layers, long seed) {
        if (width < 1 || layers < 0) {
            throw new IllegalArgumentException("need width >= 1 and layers >= 0, got " + width + ", " + layers);
        }
        Random random = new Random(seed);
        double bound = Math.sqrt(6.0 / width);
        GraphProto.Builder graph = GraphProto.newBuilder()
                .setName("heavy")
                .addInput(tensor("x", DataType.FLOAT, BATCH, width));
        graph.addInitializer(floats("w_hidden", uniform(random, width * width, bound), width, width));
        String current = "x";
        for (int layer = 0; layer < layers; layer++) {
            String linear = "linear" + layer;
            String activated = "hidden" + layer;
            graph.addNode(node("MatMul", "matmul" + layer, List.of(current, "w_hidden"), List.of(linear)))
                    .addNode(node("Relu", "relu" + layer, List.of(linear), List.of(activated)));
            current = activated;
        }
        graph.addInitializer(floats("w_out", uniform(random, width * 3, bound), width, 3))
                .addNode(node("MatMul", "matmul_out", List.of(current, "w_out"), List.of("logits")))
                .addNode(node("Softmax", "softmax", List.of("logits"), List.of("probabilities"))
                        .addAttribute(intAttribute("axis", -1)))
                .addOutput(tensor("probabilities", DataType.FLOAT, BATCH, 3));
        return model(graph.build(), "Fixture: benchmark MLP, " + layers + " x (MatMul by a shared " + width + "x" + width + " weight, Relu).",
                List.of("a", "b", "c"));
    }

    /**
     * {@link #heavy} sized so that one [1,width] call costs about a millisecond on one intra-op thread: measured
     * with ONNX Runtime 1.23.2 on a 2-core AMD EPYC VM at a 1.0-1.2 ms median (each layer about 0.085 ms).
     * Other machines differ; benchmarks that need an exact cost should calibrate {@code layers} themselves.
     */
    public static byte[] heavyDefault() {
        return heavy(HEAVY_DEFAULT_WIDTH, HEAVY_DEFAULT_LAYERS, 42L);
    }

    /** {@code x} FP32 [1,4] to {@code y} FP32 [1,4] by Identity: a model that only accepts batches of one. */
    public static byte[] fixedBatch() {
        GraphProto graph = GraphProto.newBuilder()
                .setName("fixed_batch")
                .addInput(tensor("x", DataType.FLOAT, 1, 4))
                .addNode(node("Identity", "copy_x", List.of("x"), List.of("y")))
                .addOutput(tensor("y", DataType.FLOAT, 1, 4))
                .build();
        return model(graph, "Fixture: fixed batch size 1.", null);
    }

    /**
     * A classifier with the {@link #classifier} signature whose every probability is NaN, for any input: the
     * logarithm of {@code -(1 + features²)}, a negative number, projected to {@code classes} outputs.
     */
    public static byte[] nanOutput(int features, int classes, List<String> labels) {
        if (labels.size() != classes) {
            throw new IllegalArgumentException(classes + " classes but " + labels.size() + " labels: " + labels);
        }
        GraphProto graph = GraphProto.newBuilder()
                .setName("nan_output")
                .addInput(tensor("features", DataType.FLOAT, BATCH, features))
                .addInitializer(floats("one", new float[] {1f}, 1))
                .addInitializer(floats("weight", new float[features * classes], features, classes))
                .addNode(node("Mul", "square", List.of("features", "features"), List.of("squared")))
                .addNode(node("Add", "add_one", List.of("squared", "one"), List.of("positive")))
                .addNode(node("Neg", "negate", List.of("positive"), List.of("negative")))
                .addNode(node("Log", "log_of_negative", List.of("negative"), List.of("nan")))
                .addNode(node("MatMul", "project", List.of("nan", "weight"), List.of("probabilities")))
                .addOutput(tensor("probabilities", DataType.FLOAT, BATCH, classes))
                .build();
        return model(graph, "Fixture: answers NaN for every input.", labels);
    }

    /**
     * A classifier with the {@link #classifier} signature that loads but fails whenever it runs: it gathers
     * columns {@code features .. features + classes - 1} of its input, which has only {@code features} columns.
     */
    public static byte[] failsAtRunTime(int features, int classes, List<String> labels) {
        if (labels.size() != classes) {
            throw new IllegalArgumentException(classes + " classes but " + labels.size() + " labels: " + labels);
        }
        long[] outOfRange = new long[classes];
        for (int i = 0; i < classes; i++) {
            outOfRange[i] = features + i;
        }
        GraphProto graph = GraphProto.newBuilder()
                .setName("fails_at_run_time")
                .addInput(tensor("features", DataType.FLOAT, BATCH, features))
                .addInitializer(int64s("columns", outOfRange, classes))
                .addNode(node("Gather", "gather_missing_columns", List.of("features", "columns"), List.of("probabilities"))
                        .addAttribute(intAttribute("axis", 1)))
                .addOutput(tensor("probabilities", DataType.FLOAT, BATCH, classes))
                .build();
        return model(graph, "Fixture: gathers input columns that do not exist, so every run fails.", labels);
    }

    /**
     * {@code model} unchanged but for a doc string of {@code extraBytes} characters: the same graph, signature and
     * answers in a file at least that much larger (for size limits).
     */
    public static byte[] padded(byte[] model, int extraBytes) {
        try {
            ModelProto parsed = ModelProto.parseFrom(model);
            return parsed.toBuilder().setDocString(parsed.getDocString() + " " + "x".repeat(extraBytes))
                    .build().toByteArray();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
    }

    private static byte[] model(GraphProto graph, String doc, List<String> labels) {
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("greenlight-demo")
                .setDomain("dev.greenlight.demo")
                .setModelVersion(1)
                .setDocString(doc)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph);
        if (labels != null) {
            model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(LABELS_KEY).setValue(Json.array(labels)));
        }
        return model.build().toByteArray();
    }

    /**
     * A tensor value description. Each dimension is an {@link Integer} (fixed size) or a {@link String}
     * (symbolic); no dimensions at all means a scalar, which needs an explicitly present, empty shape because
     * an absent shape would mean "unknown rank".
     */
    private static ValueInfoProto tensor(String name, DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            TensorShapeProto.Dimension.Builder d = shape.addDimBuilder();
            if (dim instanceof Integer size) {
                d.setDimValue(size);
            } else if (dim instanceof String symbol) {
                d.setDimParam(symbol);
            } else {
                throw new IllegalArgumentException("dimension must be Integer or String: " + dim);
            }
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber())
                        .setShape(shape)))
                .build();
    }

    private static NodeProto.Builder node(String op, String name, List<String> inputs, List<String> outputs) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addAllOutput(outputs);
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    /** FP32 initializer stored as little-endian raw_data, the compact form ONNX readers expect for big weights. */
    private static TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return TensorProto.newBuilder()
                .setName(name)
                .setDataType(DataType.FLOAT_VALUE)
                .addAllDims(Arrays.stream(dims).boxed().toList())
                .setRawData(ByteString.copyFrom(buffer.array()))
                .build();
    }

    private static TensorProto int64s(String name, long[] values, long... dims) {
        return TensorProto.newBuilder()
                .setName(name)
                .setDataType(DataType.INT64_VALUE)
                .addAllDims(Arrays.stream(dims).boxed().toList())
                .addAllInt64Data(Arrays.stream(values).boxed().toList())
                .build();
    }

    private static float[] gaussian(Random random, int count, double scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return values;
    }

    private static float[] uniform(Random random, int count, double bound) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return values;
    }
}
