package dev.greenlight.serving;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Says what is wrong with a file ONNX Runtime refused to open, in words an operator can act on
 * ("empty", "truncated", "not an ONNX model") instead of ONNX Runtime's "Protobuf parsing
 * failed". It walks only the top-level fields of the {@code ModelProto} (seeking past their
 * contents), so it costs a few reads even for a large file.
 */
final class ArtifactFormat {
    /** The top-level fields of onnx.ModelProto and their protobuf wire types (0 varint, 2 length-delimited). */
    private static final Map<Integer, Integer> MODEL_FIELDS = Map.ofEntries(
            Map.entry(1, 0), Map.entry(2, 2), Map.entry(3, 2), Map.entry(4, 2), Map.entry(5, 0),
            Map.entry(6, 2), Map.entry(7, 2), Map.entry(8, 2), Map.entry(14, 2), Map.entry(20, 2),
            Map.entry(25, 2), Map.entry(26, 2));
    private static final Map<Integer, String> NAMES = Map.of(1, "ir_version", 7, "graph", 8, "opset_import",
            14, "metadata_props", 6, "doc_string", 2, "producer_name");

    private ArtifactFormat() {
    }

    /** Why {@code file} is not a whole ONNX model, or empty when its top level reads as one. */
    static Optional<String> problem(Path file) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long size = in.length();
            if (size == 0) {
                return Optional.of("the artifact is empty (0 bytes), not an ONNX model");
            }
            boolean graph = false;
            while (in.getFilePointer() < size) {
                long at = in.getFilePointer();
                long tag;
                try {
                    tag = varint(in, size);
                } catch (Ended e) {
                    return Optional.of(truncated(size, "in a field tag at byte " + at));
                } catch (Overlong e) {
                    return Optional.of(corrupt(at, "an invalid field tag"));
                }
                int field = (int) Math.min(tag >>> 3, Integer.MAX_VALUE);
                int wire = (int) (tag & 7);
                Integer expected = MODEL_FIELDS.get(field);
                if (expected == null || expected != wire) {
                    return Optional.of(corrupt(at, "field " + field + " (wire type " + wire
                            + ") is not a field of an ONNX ModelProto"));
                }
                long value;
                try {
                    value = varint(in, size);
                } catch (Ended e) {
                    return Optional.of(truncated(size, "in field " + name(field) + " at byte " + at));
                } catch (Overlong e) {
                    return Optional.of(corrupt(at, "field " + name(field) + " has an invalid value"));
                }
                if (wire == 2 && value < 0) {
                    return Optional.of(corrupt(at, "field " + name(field) + " declares a negative length"));
                }
                if (wire == 2) {
                    long remaining = size - in.getFilePointer();
                    if (value > remaining) {
                        return Optional.of(truncated(size, "in field " + name(field) + ", which declares " + value
                                + " bytes where " + remaining + " remain"));
                    }
                    in.seek(in.getFilePointer() + value);
                }
                graph |= field == 7;
            }
            return graph ? Optional.empty() : Optional.of("the artifact (" + size + " bytes) has no graph, not an ONNX model");
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String truncated(long size, String where) {
        return "the artifact is truncated: its " + size + " bytes end " + where;
    }

    private static String corrupt(long at, String what) {
        return "the artifact is corrupt, not an ONNX model: at byte " + at + ", " + what;
    }

    private static String name(int field) {
        return NAMES.getOrDefault(field, Integer.toString(field));
    }

    /** A protobuf varint, as the unsigned 64 bits it encodes. */
    private static long varint(RandomAccessFile in, long size) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (in.getFilePointer() >= size) {
                throw new Ended();
            }
            int b = in.read();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new Overlong();
    }

    /** The file ends inside a varint. */
    private static final class Ended extends IOException {
        Ended() {
            super(null, null);
        }
    }

    /** A varint of more than ten bytes. */
    private static final class Overlong extends IOException {
        Overlong() {
            super(null, null);
        }
    }
}
