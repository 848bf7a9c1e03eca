package dev.greenlight.demo;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Turns a Tribuo ONNX export into the serving contract used across Greenlight: input {@code features}, output
 * {@code probabilities}, a {@code labels} metadata entry, and nothing run-specific so rebuilding gives the same bytes.
 */
final class TribuoExport {

    /** Tribuo 4.3's fixed tensor names for single-input, single-output exports. */
    static final String TRIBUO_INPUT = "input";
    static final String TRIBUO_OUTPUT = "output";

    static final String INPUT = "features";
    static final String OUTPUT = "probabilities";
    static final String LABELS_KEY = "labels";

    private TribuoExport() {
    }

    /**
     * @param exported   what {@code exportONNXModel} returned
     * @param labels     class names in output-column order
     * @param docString  a stable description replacing Tribuo's, which embeds the provenance (creation times,
     *                   JVM and OS details) and would make every build differ
     */
    static ModelProto forServing(ModelProto exported, List<String> labels, String docString) {
        Map<String, String> renames = Map.of(TRIBUO_INPUT, INPUT, TRIBUO_OUTPUT, OUTPUT);
        UnaryOperator<String> rename = name -> renames.getOrDefault(name, name);
        requireTensor(exported.getGraph().getInputList(), TRIBUO_INPUT);
        requireTensor(exported.getGraph().getOutputList(), TRIBUO_OUTPUT);
        return exported.toBuilder()
                .setDocString(docString)
                // TRIBUO_PROVENANCE is the only entry Tribuo writes; it holds timestamps and host details.
                .clearMetadataProps()
                .addMetadataProps(StringStringEntryProto.newBuilder()
                        .setKey(LABELS_KEY)
                        .setValue(Json.array(labels)))
                .setGraph(renamed(exported.getGraph(), rename))
                .build();
    }

    private static void requireTensor(List<ValueInfoProto> values, String name) {
        if (values.size() != 1 || !values.get(0).getName().equals(name)) {
            throw new IllegalStateException("expected a single tensor '" + name + "' in the Tribuo export, found "
                    + values.stream().map(ValueInfoProto::getName).toList());
        }
    }

    /** Renames graph inputs/outputs and every node reference to them, so the graph stays connected. */
    private static GraphProto renamed(GraphProto graph, UnaryOperator<String> rename) {
        GraphProto.Builder builder = graph.toBuilder();
        for (ValueInfoProto.Builder value : builder.getInputBuilderList()) {
            value.setName(rename.apply(value.getName()));
        }
        for (ValueInfoProto.Builder value : builder.getOutputBuilderList()) {
            value.setName(rename.apply(value.getName()));
        }
        for (ValueInfoProto.Builder value : builder.getValueInfoBuilderList()) {
            value.setName(rename.apply(value.getName()));
        }
        for (NodeProto.Builder node : builder.getNodeBuilderList()) {
            List<String> inputs = node.getInputList().stream().map(rename).toList();
            List<String> outputs = node.getOutputList().stream().map(rename).toList();
            node.clearInput().addAllInput(inputs).clearOutput().addAllOutput(outputs);
        }
        return builder.build();
    }
}
