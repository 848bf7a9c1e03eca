package dev.greenlight.demo;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.Map;

/** Opens models in ONNX Runtime the way the serving path does: from bytes, one intra-op thread. */
final class OrtSessions {

    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private OrtSessions() {
    }

    static OrtSession open(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            return ENV.createSession(model, options);
        }
    }

    static TensorInfo tensor(Map<String, NodeInfo> infos, String name) {
        NodeInfo info = infos.get(name);
        if (info == null) {
            throw new AssertionError("no tensor " + name + " in " + infos.keySet());
        }
        return (TensorInfo) info.getInfo();
    }

    static OnnxTensor create(Object data) throws OrtException {
        return OnnxTensor.createTensor(ENV, data);
    }

    /** Index of the largest value in each row: the predicted class column. */
    static int[] argmax(float[][] rows) {
        int[] best = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            for (int c = 1; c < rows[r].length; c++) {
                if (rows[r][c] > rows[r][best[r]]) {
                    best[r] = c;
                }
            }
        }
        return best;
    }
}
