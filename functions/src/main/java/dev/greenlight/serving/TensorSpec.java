package dev.greenlight.serving;

import java.util.Arrays;
import java.util.Objects;

/**
 * One input or output of a model: its name, element type and declared shape, where -1 marks a
 * dynamic (symbolic) dimension. {@code type} is null for values that are not tensors (maps,
 * sequences), which Greenlight passes through as plain JSON.
 */
public record TensorSpec(String name, DataType type, long[] shape) {
    public TensorSpec {
        Objects.requireNonNull(name, "name");
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    /** True when the first dimension is dynamic, so rows of several requests can be stacked. */
    public boolean batchable() {
        return shape.length > 0 && shape[0] == -1;
    }

    /** Whether {@code actual} fits the declared shape (same rank, equal fixed dimensions). */
    public boolean accepts(long[] actual) {
        if (actual.length != shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] >= 0 && shape[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }

    public String describe() {
        return "'" + name + "' (" + (type == null ? "non-tensor" : type) + ", shape " + Arrays.toString(shape) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec other && name.equals(other.name) && type == other.type
                && Arrays.equals(shape, other.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return describe();
    }
}
