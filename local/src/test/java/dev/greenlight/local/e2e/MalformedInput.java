package dev.greenlight.local.e2e;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.greenlight.fanout.RefreshSignature;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Malformed requests and Event Grid deliveries for every route of the packaged app, generated
 * from a seed so that a run repeats exactly: first a fixed catalogue (every hostile name on every
 * route, every broken body on every route that takes one, huge numbers, deep nesting, bodies
 * within and beyond {@code GREENLIGHT_MAX_BODY}, every webhook header and function variant,
 * events lacking each required attribute, mixed batches), then random mutations of valid bodies
 * and events.
 *
 * <p>None of them may change state: hostile model names never equal a managed model, hostile
 * versions are never a valid version id, "good" events in a batch are ones Greenlight
 * acknowledges without a write (another model, a type it ignores, a run that registered
 * nothing), and the bases the mutations start from are wrong in two places, so that up to
 * three edits cannot turn one into a valid promotion, rollback or registration.
 */
final class MalformedInput {

    static final String PREDICT = "POST /api/predict";
    static final String INFER = "POST /api/v2/models/{model}/infer";
    static final String METADATA = "GET /api/v2/models/{model}";
    static final String PROMOTE = "POST /api/promote";
    static final String ROLLBACK = "POST /api/rollback";
    static final String DECISIONS = "GET /api/decisions";
    static final String REFRESH = "POST /api/refresh-model";
    static final String WEBHOOK = "/runtime/webhooks/eventgrid";

    static final String MODEL = "iris-clf";
    static final String LOCAL_TOPIC =
            "/subscriptions/local/resourceGroups/local/providers/Microsoft.MachineLearningServices/workspaces/local";
    static final String REGISTERED = "Microsoft.MachineLearningServices.ModelRegistered";
    static final String RUN_COMPLETED = "Microsoft.MachineLearningServices.RunCompleted";
    static final String RUN_STATUS_CHANGED = "Microsoft.MachineLearningServices.RunStatusChanged";

    /** One request: what to send, and the status it must get when that is known (else null). */
    record Case(String route, String kind, String method, String target, byte[] body, List<String> headers,
                Integer expected) {
        String describe() {
            String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            return kind + ": " + method + " " + clip(target) + (body == null ? "" : " body " + clip(text));
        }

        /** Short enough for a failure list; a long value keeps its start and its end, where events differ. */
        private static String clip(String s) {
            StringBuilder escaped = new StringBuilder();
            s.codePoints().forEach(c -> escaped.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
                    : new String(Character.toChars(c))));
            String flat = escaped.toString();
            return flat.length() <= 320 ? flat : flat.substring(0, 100) + " … " + flat.substring(flat.length() - 200)
                    + " (" + flat.length() + " chars)";
        }
    }

    /** Model names that must never reach a file, a document name or a registry path. */
    static final List<String> HOSTILE_NAMES = List.of(
            "..", ".", "../", "../../../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/passwd", "/", "//",
            "C:\\Windows\\System32", "iris-clf/../iris-clf", "iris-clf/..", "../iris-clf", "./iris-clf",
            "%2e%2e%2f", "%2e%2e/", "..%2f..%2f", "%252e%252e%252f", "%00", "iris-clf%00",
            "\u0000", "iris-clf\u0000", "iris-clf\u0000.onnx", "\u0000../",
            "", " ", "\t", "\n", "iris-clf ", " iris-clf", "IRIS-CLF", "iris_clf", "iris-clf\n",
            "iris-clf\r\nx-injected: 1", "ｉｒｉｓ－ｃｌｆ", "íris-clf", "iris\u200Bclf", "\uFEFFiris-clf",
            "\u202Eflc-siri", "😀", "iris-clf😀", "\uD800", "\uDFFF\uD800", "<script>alert(1)</script>",
            "' OR '1'='1", "${jndi:ldap://127.0.0.1/a}", "%s%n%x", "*", "?", "#", "&", "=", ";",
            "CON", "NUL", "aux.onnx", "null", "undefined", "true", "0", "-1", "1e400", "NaN",
            "a".repeat(256), "a".repeat(4096), "é".repeat(2000), "../".repeat(300));

    /** Versions that are not valid version ids (so never a registered one). */
    static final List<String> HOSTILE_VERSIONS = List.of(
            "..", ".", "../", "../1", "../../../../etc/passwd", "/1", "/etc/passwd", "1/../1", "1/..", "..\\1",
            "C:\\1", "%2e%2e%2f1", "..%2f1", "1%00", "\u0000", "1\u0000", "", " ", "1 ", " 1", "1\n", "-1", "_1",
            ".1", "1..2", "１", "١", "1😀", "\uD800", "v1/../../x", "<1>", "1;2", "1,2", "*", "?", "#1",
            "a".repeat(65), "9".repeat(65), "1".repeat(10_000));

    /** Bodies that are not JSON, or JSON that no route takes. */
    static final List<String> BROKEN_JSON = List.of(
            "", " ", "{", "}", "[", "]", "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]", "{\"instances\": [[5.1, 3.5, 1.4, 0.2]],}",
            "{'instances': [[5.1, 3.5, 1.4, 0.2]]}", "{instances: [[5.1, 3.5, 1.4, 0.2]]}",
            "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]} {}", "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}]",
            "/* c */ {\"instances\": [[5.1, 3.5, 1.4, 0.2]]}", "// c\n{}", "{\"instances\": [[NaN, 3.5, 1.4, 0.2]]}",
            "{\"instances\": [[Infinity, 3.5, 1.4, 0.2]]}", "{\"instances\": [[-Infinity, 3.5, 1.4, 0.2]]}",
            "{\"instances\": [[0x10, 3.5, 1.4, 0.2]]}", "{\"instances\": [[01, 3.5, 1.4, 0.2]]}",
            "{\"instances\": [[.5, 3.5, 1.4, 0.2]]}", "{\"instances\": [[+1, 3.5, 1.4, 0.2]]}",
            "{\"instances\": [[1., 3.5, 1.4, 0.2]]}", "{\"instances\": [[1e, 3.5, 1.4, 0.2]]}",
            "{\"instances\": [[5.1 3.5 1.4 0.2]]}", "{\"instances\" [[5.1, 3.5, 1.4, 0.2]]}",
            "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]\u0000}", "\uFEFF{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}",
            "{\"instances\": \"[[5.1, 3.5, 1.4, 0.2]]\"", "{\"a\": \"\\uZZZZ\"}", "{\"a\": \"\\ud800\"}",
            "{\"a\": \"unterminated}", "{\"a\": \"tab\there\"}", "{\"a\": tru}", "{\"a\": nul}", "nul", "tru",
            "undefined", "<xml/>", "instances=1&model=iris-clf", "[1, 2, 3", "{\"\":}", "{,}", "{:}", "{\"a\"::1}",
            "null", "true", "0", "-1", "\"text\"", "[]", "[[]]", "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}\n{\"x\": 1}",
            "{\"a\": 1, \"a\": 2}", "\"\\u0000\"", "[" + "1,".repeat(50) + "]");

    /** Raw JSON values of the wrong type (or out of range) for any field. */
    static final List<String> WRONG_VALUES = List.of(
            "null", "true", "false", "0", "-1", "1.5", "1e400", "-1e400", "1e-400", "\"NaN\"", "\"Infinity\"",
            "\"-Infinity\"", "123456789012345678901234567890", "9223372036854775808", "-9223372036854775809",
            "1E+2147483648", "\"\"", "\" \"", "[]", "{}", "[1]", "{\"a\": 1}", "[null]", "\"\\u0000\"",
            "\"" + "x".repeat(300) + "\"", "1".repeat(1500), "[[[[[[[[[[1]]]]]]]]]]");

    /** Numbers a float input cannot hold, or that a parser may choke on. */
    static final List<String> HUGE_NUMBERS = List.of(
            "1e400", "-1e400", "1e39", "-1e39", "3.5e38", "1e-400", "1e308", "-1e308", "4.9e-324", "-0.0",
            "0e99999999", "1E+2147483648", "1e-2147483649", "123456789012345678901234567890",
            "9223372036854775808", "-9223372036854775809", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e400\"",
            "1".repeat(999), "1".repeat(1001), "1".repeat(5000) + ".5", "0." + "0".repeat(2000) + "1");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper DECIMALS = JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final ObjectMapper ASCII = JsonMapper.builder().enable(JsonGenerator.Feature.ESCAPE_NON_ASCII).build();
    private static final String ROW = "[5.1, 3.5, 1.4, 0.2]";
    private static final String PREDICT_BODY = "{\"instances\": [" + ROW + "]}";
    private static final char[] MUTATION_CHARS = "{}[]\",:\\ 0123456789.-+eEntfalsru\u0000\n\té😀\uD800".toCharArray();

    private final Random random;
    private final long maxBody;
    private final String functionKey;
    private final String adminKey;
    private final String eventGridKey;
    private final RefreshSignature signer;
    private final String input;
    private final List<Case> cases = new ArrayList<>();

    /**
     * @param input the name of the demo model's input tensor (for Open Inference Protocol bodies)
     */
    MalformedInput(long seed, long maxBody, String functionKey, String adminKey, String eventGridKey,
                   RefreshSignature signer, String input) {
        this.random = new Random(seed);
        this.maxBody = maxBody;
        this.functionKey = functionKey;
        this.adminKey = adminKey;
        this.eventGridKey = eventGridKey;
        this.signer = signer;
        this.input = input;
    }

    /** The catalogue, then {@code mutations} random mutations. */
    List<Case> generate(int mutations) {
        predictCases();
        inferCases();
        metadataCases();
        adminCases(PROMOTE, "/api/promote", "version");
        adminCases(ROLLBACK, "/api/rollback", "toVersion");
        decisionsCases();
        refreshCases();
        webhookCases();
        for (int i = 0; i < mutations; i++) {
            randomCase();
        }
        return List.copyOf(cases);
    }

    // ---- Predict -------------------------------------------------------------------------

    private void predictCases() {
        BROKEN_JSON.forEach(b -> predict("broken json", "", b, null));
        invalidUtf8().forEach(b -> add(PREDICT, "invalid utf-8", "POST", "/api/predict", b, fn(), null));
        for (String wrong : List.of("null", "true", "1", "\"x\"", "{}", "{\"a\": 1}", "[]", "[null]", "[1]",
                "[\"a\", \"b\"]", "[true]", "[[]]", "[[null, null, null, null]]", "[[\"a\", \"b\", \"c\", \"d\"]]",
                "[[true, false, true, false]]", "[[1, 2, 3]]", "[[1, 2, 3, 4, 5]]", "[[[1, 2, 3, 4]]]",
                "[[{\"a\": 1}, 2, 3, 4]]", "[{\"input\": [1, 2, 3, 4]}]", "[{}]", "[[1, 2, 3, 4], [1, 2]]",
                "[[1, 2, 3, 4], \"x\"]", "[[\"5.1\", \"3.5\", \"1.4\", \"0.2\"]]", "[[5.1, 3.5, 1.4, null]]")) {
            predict("wrong type", "", "{\"instances\": " + wrong + "}", null);
        }
        for (String shape : List.of("{\"inputs\": [" + ROW + "]}", "{\"instance\": [" + ROW + "]}",
                "{\"INSTANCES\": [" + ROW + "]}", "[" + ROW + "]", "{\"instances\": [" + ROW + "], \"parameters\": \"x\"}",
                "{\"instances\": {\"0\": " + ROW + "}}", "{\"data\": {\"instances\": [" + ROW + "]}}")) {
            predict("wrong shape", "", shape, null);
        }
        for (String n : HUGE_NUMBERS) {
            predict("huge number", "", "{\"instances\": [[" + n + ", 3.5, 1.4, 0.2]]}", null);
        }
        for (int depth : new int[] {63, 64, 65, 100, 1000, 10_000}) {
            predict("deep nesting", "", "{\"instances\": " + "[".repeat(depth) + "]".repeat(depth) + "}", null);
            predict("deep nesting", "", "{\"instances\": [" + "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth) + "]}",
                    null);
            predict("deep nesting", "", "[".repeat(depth), null);
        }
        // Within the limit these are valid or refused as bad input; beyond it, 413 before parsing.
        predict("huge array", "", "{\"instances\": [" + repeat(ROW, 500) + "]}", null);
        predict("huge array", "", "{\"instances\": [[" + repeat("0.5", 10_000) + "]]}", null);
        predict("huge array", "", "{\"instances\": [" + repeat("[]", 15_000) + "]}", null);
        predict("huge array", "", "{\"instances\": [" + repeat("0", 20_000) + "]}", null);
        predict("oversize", "", "{\"instances\": [" + repeat(ROW, rowsBeyondLimit()) + "]}", 413);
        predict("oversize", "", " ".repeat((int) maxBody + 1), 413);
        predict("oversize", "", "{\"instances\": [" + ROW + "], \"pad\": \"" + "x".repeat((int) maxBody) + "\"}", 413);
        predict("oversize", "", "[".repeat((int) maxBody * 2), 413);
        for (String name : HOSTILE_NAMES) {
            predict("hostile ?model=", "?model=" + query(name), PREDICT_BODY, null);
        }
        predict("hostile ?model=", "?model=iris-clf&model=iris-clf", PREDICT_BODY, null);
        predict("hostile ?model=", "?model", PREDICT_BODY, null);
        predict("hostile ?model=", "?model=%", PREDICT_BODY, null);
        predict("hostile ?model=", "?model=%zz%", PREDICT_BODY, null);
        predict("hostile ?model=", "?model=%C0%AF", PREDICT_BODY, null);
    }

    private void predict(String kind, String query, String body, Integer expected) {
        add(PREDICT, kind, "POST", "/api/predict" + query, utf8(body), fn(), expected);
    }

    private int rowsBeyondLimit() {
        return (int) (maxBody / (ROW.length() + 2)) + 10;
    }

    // ---- Infer and metadata ----------------------------------------------------------------

    private void inferCases() {
        String path = "/api/v2/models/" + MODEL + "/infer";
        BROKEN_JSON.forEach(b -> infer("broken json", path, b, null));
        invalidUtf8().forEach(b -> add(INFER, "invalid utf-8", "POST", path, b, fn(), null));
        List<String> tensors = new ArrayList<>();
        for (String inputs : List.of("null", "{}", "\"x\"", "[]", "[null]", "[1]", "[[]]")) {
            tensors.add("{\"inputs\": " + inputs + "}");
        }
        String name = "\"name\": " + quote(input);
        for (String field : List.of("name", "shape", "datatype", "data")) {
            tensors.add(oipWithout(field));
        }
        for (String n : List.of("1", "null", "\"nope\"", "\"\"", quote("../" + input), quote(input + "\u0000"))) {
            tensors.add(oip("\"name\": " + n, "[1, 4]", "\"FP32\"", ROW));
        }
        for (String shape : List.of("[]", "[4]", "[1, 3]", "[2, 4]", "[-1, 4]", "[0, 4]", "[1, -4]", "[2147483647, 4]",
                "[9223372036854775807, 4]", "[4294967297, 4]", "[1e400, 4]", "[\"1\", \"4\"]", "[1.5, 4]", "[1, 4, 1]",
                "null", "\"1,4\"", "[[1, 4]]", "[1, 4, 0]", "[65536, 65536]")) {
            tensors.add(oip(name, shape, "\"FP32\"", ROW));
        }
        for (String type : List.of("\"FP33\"", "\"fp32\"", "\"BYTES\"", "\"INT64\"", "\"BOOL\"", "\"UINT8\"",
                "\"FP16\"", "\"STRING\"", "1", "null", "[]", "\"\"")) {
            tensors.add(oip(name, "[1, 4]", type, ROW));
        }
        for (String data : List.of("null", "\"x\"", "{}", "[" + ROW + "]", "[\"a\", \"b\", \"c\", \"d\"]",
                "[true, false, true, false]", "[1e400, 1, 1, 1]", "[\"NaN\", 1, 1, 1]", "[null, 1, 1, 1]", "[1, 2, 3]",
                "[1, 2, 3, 4, 5]", "[]", "[[1, 2], [3, 4]]", "[{}, {}, {}, {}]", "[1e39, 1, 1, 1]")) {
            tensors.add(oip(name, "[1, 4]", "\"FP32\"", data));
        }
        for (String n : HUGE_NUMBERS) {
            tensors.add(oip(name, "[1, 4]", "\"FP32\"", "[" + n + ", 3.5, 1.4, 0.2]"));
        }
        String ok = oip(name, "[1, 4]", "\"FP32\"", ROW);
        String inner = ok.substring(1, ok.length() - 1);
        for (String extra : List.of("\"outputs\": [{\"name\": \"nope\"}]", "\"outputs\": \"x\"", "\"outputs\": [1]",
                "\"parameters\": \"x\"", "\"parameters\": {\"routing_key\": {}}", "\"parameters\": 1", "\"id\": 1",
                "\"id\": {}", "\"id\": \"" + "i".repeat(5000) + "\"")) {
            tensors.add("{" + inner + ", " + extra + "}");
        }
        String tensor = "{" + name + ", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": " + ROW + "}";
        tensors.add("{\"inputs\": [" + tensor + ", " + tensor + "]}");
        tensors.add("{\"inputs\": [" + tensor + ", {\"name\": \"extra\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}");
        tensors.forEach(b -> infer("wrong shape or type", path, b, null));
        for (int depth : new int[] {63, 65, 10_000}) {
            infer("deep nesting", path, oip(name, "[1, 4]", "\"FP32\"", "[".repeat(depth) + "]".repeat(depth)), null);
        }
        infer("huge array", path, oip(name, "[2000, 4]", "\"FP32\"", "[" + repeat("5.1, 3.5, 1.4, 0.2", 2000) + "]"),
                null);
        infer("oversize", path, oip(name, "[1, 4]", "\"FP32\"", "[" + repeat("5.1", (int) maxBody / 4) + "]"), 413);
        for (String model : HOSTILE_NAMES) {
            infer("hostile {model}", "/api/v2/models/" + segment(model) + "/infer", ok, null);
            infer("hostile {model} (dots encoded)", "/api/v2/models/" + segmentAll(model) + "/infer", ok, null);
        }
        for (String raw : List.of("..", ".", "../..", "%2e%2e", "%2E%2E%2F%2E%2E", "..%2F..%2F", "%00", "%", "%zz",
                "%C0%AE%C0%AE", "iris-clf%2F..%2F..", "iris-clf;x=1", "iris-clf%3Fx=1")) {
            infer("raw path", "/api/v2/models/" + raw + "/infer", ok, null);
        }
    }

    private String oip(String name, String shape, String type, String data) {
        return "{\"inputs\": [{" + name + ", \"shape\": " + shape + ", \"datatype\": " + type + ", \"data\": " + data + "}]}";
    }

    private String oipWithout(String field) {
        List<String> parts = new ArrayList<>();
        if (!field.equals("name")) {
            parts.add("\"name\": " + quote(input));
        }
        if (!field.equals("shape")) {
            parts.add("\"shape\": [1, 4]");
        }
        if (!field.equals("datatype")) {
            parts.add("\"datatype\": \"FP32\"");
        }
        if (!field.equals("data")) {
            parts.add("\"data\": " + ROW);
        }
        return "{\"inputs\": [{" + String.join(", ", parts) + "}]}";
    }

    private void infer(String kind, String path, String body, Integer expected) {
        add(INFER, kind, "POST", path, utf8(body), fn(), expected);
    }

    private void metadataCases() {
        for (String model : HOSTILE_NAMES) {
            add(METADATA, "hostile {model}", "GET", "/api/v2/models/" + segment(model), null, fn(), null);
            add(METADATA, "hostile {model} (dots encoded)", "GET", "/api/v2/models/" + segmentAll(model), null, fn(), null);
        }
        for (String raw : List.of("..", ".", "../..", "..%2F..%2Fstore", "%2e%2e%2fstore", "%00", "%", "%zz", "%C0%AE",
                "iris-clf%2F..", "iris-clf/..", "iris-clf/../..", "iris-clf?model=..")) {
            add(METADATA, "raw path", "GET", "/api/v2/models/" + raw, null, fn(), null);
        }
        add(METADATA, "body on a GET", "GET", "/api/v2/models/" + MODEL, utf8("{"), fn(), null);
    }

    // ---- Promote and rollback ----------------------------------------------------------------

    private void adminCases(String route, String path, String versionField) {
        for (String b : BROKEN_JSON) {
            add(route, "broken json", "POST", path, utf8(b), admin(), 400);
        }
        invalidUtf8().forEach(b -> add(route, "invalid utf-8", "POST", path, b, admin(), null));
        for (String name : HOSTILE_NAMES) {
            String body = "{\"model\": " + quote(name) + ", \"" + versionField + "\": \"1\"}";
            add(route, "hostile model", "POST", path, utf8(body), admin(), name.isBlank() ? 400 : 404);
        }
        for (String version : HOSTILE_VERSIONS) {
            String body = "{\"model\": \"" + MODEL + "\", \"" + versionField + "\": " + quote(version) + "}";
            add(route, "hostile version", "POST", path, utf8(body), admin(), 400);
            add(route, "hostile version (escaped)", "POST", path, utf8(body.replace(quote(version), asciiQuote(version))),
                    admin(), 400);
        }
        for (String wrong : WRONG_VALUES) {
            add(route, "wrong type", "POST", path, utf8("{\"model\": " + wrong + ", \"" + versionField + "\": \"../1\"}"),
                    admin(), null);
            add(route, "wrong type", "POST", path, utf8("{\"model\": \"" + MODEL + "\", \"" + versionField + "\": \"../1\","
                    + " \"force\": " + wrong + "}"), admin(), 400);
            add(route, "wrong type", "POST", path, utf8("{\"model\": \"" + MODEL + "\", \"" + versionField + "\": \"../1\","
                    + " \"requestId\": " + wrong + "}"), admin(), 400);
        }
        for (String wrong : List.of("[]", "{}", "[1]", "{\"a\": 1}", "[\"1\"]", "\" \"", "\"\"")) {
            add(route, "wrong type", "POST", path, utf8("{\"model\": \"" + MODEL + "\", \"" + versionField + "\": "
                    + wrong + "}"), admin(), 400);
        }
        for (String id : List.of("", " ", "../x", "x y", "😀", "\u0000", "r".repeat(129), "a/b", "%2e%2e")) {
            add(route, "hostile requestId", "POST", path, utf8("{\"model\": \"" + MODEL + "\", \"" + versionField
                    + "\": \"0\", \"requestId\": " + quote(id) + "}"), admin(), 400);
        }
        for (String shape : List.of("[]", "[{\"model\": \"" + MODEL + "\"}]", "\"" + MODEL + "\"", "1", "null",
                "{\"model\": {\"model\": \"" + MODEL + "\"}}", "{\"Model\": \"" + MODEL + "\", \"Version\": \"1\"}",
                "{\"" + versionField + "\": \"1\"}")) {
            add(route, "wrong shape", "POST", path, utf8(shape), admin(), 400);
        }
        for (int depth : new int[] {65, 10_000}) {
            add(route, "deep nesting", "POST", path, utf8("{\"model\": " + "[".repeat(depth) + "]".repeat(depth) + "}"),
                    admin(), 400);
        }
        add(route, "oversize", "POST", path, utf8("{\"model\": \"" + MODEL + "\", \"pad\": \"" + "x".repeat((int) maxBody)
                + "\"}"), admin(), 413);
        add(route, "huge array", "POST", path, utf8("{\"model\": [" + repeat("\"" + MODEL + "\"", 3000) + "]}"), admin(), 400);
    }

    // ---- Decisions -------------------------------------------------------------------------

    private void decisionsCases() {
        for (String name : HOSTILE_NAMES) {
            add(DECISIONS, "hostile ?model=", "GET", "/api/decisions?model=" + query(name), null, fn(), null);
        }
        for (String limit : List.of("", " ", "0", "-1", "501", "1e3", "NaN", "99999999999999999999", " 1", "1;2",
                "0x10", "1.5", "Infinity", "%00", "1%00", "10 OR 1=1", "1".repeat(5000))) {
            add(DECISIONS, "hostile ?limit=", "GET", "/api/decisions?model=" + MODEL + "&limit=" + query(limit), null, fn(),
                    400);
        }
        for (String q : List.of("?limit=1&limit=2", "?model=iris-clf&model=other", "?model", "?limit", "?&&&", "?=",
                "?model=%", "?model=%zz", "?limit=%", "?limit=%D9%A3", "?" + "x=1&".repeat(2000))) {
            add(DECISIONS, "odd query", "GET", "/api/decisions" + q, null, fn(), null);
        }
    }

    // ---- RefreshModel (signed, so that the body itself is what is tried) ----------------------

    private void refreshCases() {
        BROKEN_JSON.forEach(b -> refresh("broken json", b, null));
        for (String name : HOSTILE_NAMES) {
            refresh("hostile model", "{\"model\": " + quote(name) + ", \"version\": \"1\", \"generation\": 1}", null);
        }
        for (String version : HOSTILE_VERSIONS) {
            refresh("hostile version", "{\"model\": \"" + MODEL + "\", \"version\": " + quote(version)
                    + ", \"generation\": 1}", null);
        }
        for (String wrong : WRONG_VALUES) {
            refresh("wrong type", "{\"model\": \"" + MODEL + "\", \"version\": \"1\", \"generation\": " + wrong + "}", null);
            refresh("wrong type", "{\"model\": " + wrong + ", \"version\": \"1\", \"generation\": 1}", null);
            refresh("wrong type", "{\"model\": \"" + MODEL + "\", \"version\": " + wrong + ", \"generation\": 1}", null);
        }
        for (int depth : new int[] {65, 10_000}) {
            refresh("deep nesting", "{\"model\": " + "[".repeat(depth) + "]".repeat(depth) + "}", null);
        }
        String oversize = "{\"model\": \"" + MODEL + "\", \"pad\": \"" + "x".repeat((int) maxBody) + "\"}";
        refresh("oversize", oversize, 413);
        String body = "{\"model\": \"" + MODEL + "\", \"version\": \"1\", \"generation\": 1}";
        long now = Instant.now().getEpochSecond();
        for (String header : List.of("", " ", "t=", "v1=", "t=,v1=", "t=abc,v1=00", "t=" + now, "v1=00",
                "t=" + now + ",v1=zz", "t=" + now + ",v1=", "t=" + now + ",v1=0", "t=99999999999999999999,v1=00",
                "t=-9223372036854775808,v1=00", "t=" + now + ",v1=" + "0".repeat(64), "t=" + now + ",,v1=00",
                "t=" + now + ";v1=00", "sha256=00", "t=" + now + ",v1=" + "ab".repeat(5000), "t=1e400,v1=00")) {
            add(REFRESH, "bad signature", "POST", "/api/refresh-model", utf8(body),
                    List.of(RefreshSignature.HEADER, header, "Content-Type", "application/json"), 401);
        }
    }

    private void refresh(String kind, String body, Integer expected) {
        add(REFRESH, kind, "POST", "/api/refresh-model", utf8(body),
                List.of(RefreshSignature.HEADER, signer.sign(body, Instant.now()), "Content-Type", "application/json"),
                expected);
    }

    // ---- The Event Grid webhook ------------------------------------------------------------

    private void webhookCases() {
        String good = ignoredEvent("good-ignored");
        List<String> functions = new ArrayList<>(List.of("OnModelRegistered", "OnRunCompleted", "onmodelregistered",
                "ONRUNCOMPLETED"));
        List<String> unknown = List.of("Unknown", "", "Predict", "SyncCheck", "../OnModelRegistered",
                "OnModelRegistered%00", "OnModelRegistered ", "OnModelRegistered/..", "😀", "a".repeat(5000));
        for (String f : functions) {
            for (String type : List.of("Notification", "notification", " Notification ", "NOTIFICATION")) {
                webhook("header variant", f, type, good, 202);
            }
            webhook("missing aeg-event-type", f, null, good, 400);
            for (String type : List.of("", "Foo", "Notifications", "SubscriptionValidationEvent", "Microsoft.Storage.BlobCreated",
                    "Notification,Unsubscribe", "%4Eotification", "../", "\u00e9", "x".repeat(2000))) {
                webhook("unknown aeg-event-type", f, type, good, 400);
            }
            webhook("unsubscribe", f, "Unsubscribe", "{", 202);
        }
        for (String f : unknown) {
            webhook("unknown functionName", f, "Notification", good, 404);
            webhook("unknown functionName", f, "SubscriptionValidation", validation("code"), 404);
        }
        add(WEBHOOK + " (no functionName)", "missing functionName", "POST", "/runtime/webhooks/eventgrid", utf8(good),
                List.of("x-functions-key", eventGridKey, "aeg-event-type", "Notification"), 404);
        add(WEBHOOK + " (no functionName)", "missing functionName", "POST", "/runtime/webhooks/eventgrid?functionName",
                utf8(good), List.of("x-functions-key", eventGridKey, "aeg-event-type", "Notification"), 404);
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
            add(route("OnModelRegistered"), "wrong method", method, "/runtime/webhooks/eventgrid?functionName=OnModelRegistered",
                    method.equals("GET") || method.equals("DELETE") ? null : utf8(good),
                    List.of("x-functions-key", eventGridKey, "aeg-event-type", "Notification"), 405);
        }
        for (String origin : List.of("", "evil.example", "eventgrid.azure.net.evil.example", "EVENTGRID.AZURE.NET",
                "*", "x".repeat(3000))) {
            add(route("OnModelRegistered"), "CloudEvents handshake", "OPTIONS",
                    "/runtime/webhooks/eventgrid?functionName=OnModelRegistered", null,
                    List.of("x-functions-key", eventGridKey, "WebHook-Request-Origin", origin, "WebHook-Request-Rate", "x"),
                    200);
        }
        add(route("OnModelRegistered"), "CloudEvents handshake", "OPTIONS",
                "/runtime/webhooks/eventgrid?functionName=OnModelRegistered", null, List.of("x-functions-key", eventGridKey),
                200);
        // Validation handshakes with bodies that do not hold a code.
        for (String b : List.of("", "{", "[]", "[{}]", "{}", "[{\"data\": {}}]", "[{\"data\": {\"validationCode\": 1}}]",
                "[{\"data\": \"not json\"}]", "[{\"data\": \"{\\\"validationCode\\\": 5}\"}]", "[1]", "[null]", "\"x\"",
                "[{\"data\": null}]", "[{\"data\": [\"validationCode\"]}]", "[{\"data\": {\"validationCode\": null}}]")) {
            webhook("malformed validation", "OnModelRegistered", "SubscriptionValidation", b, 400);
        }
        webhook("validation", "OnModelRegistered", "SubscriptionValidation",
                "[{\"data\": {\"validationCode\": " + quote("\u0000😀" + "v".repeat(3000)) + "}}]", 200);
        // Notifications: the body is broken (400), or every element is a bad event (acknowledged: 202).
        for (String f : List.of("OnModelRegistered", "OnRunCompleted")) {
            for (String b : BROKEN_JSON) {
                webhook("broken json", f, "Notification", b, 202);
            }
            invalidUtf8().forEach(b -> add(route(f), "invalid utf-8", "POST", webhookTarget(f), b,
                    List.of("x-functions-key", eventGridKey, "aeg-event-type", "Notification"), null));
            // Each function gets every bad event: one alone, the other wrapped in a batch of one.
            for (String event : badEvents()) {
                if (f.equals("OnModelRegistered")) {
                    webhook("bad event", f, "Notification", event, 202);
                } else {
                    webhook("bad event in a batch", f, "Notification", "[" + event + "]", 202);
                }
            }
            for (String batch : batches()) {
                webhook("mixed batch", f, "Notification", batch, 202);
            }
            for (int depth : new int[] {63, 65, 999, 1000, 10_000}) {
                String deep = "[".repeat(depth) + "]".repeat(depth);
                webhook("deep nesting", f, "Notification", deep, 202);
                webhook("deep nesting", f, "Notification", withRaw(registered("deep-" + depth, "other-model", "1"),
                        "data", "{\"modelName\": " + "[".repeat(depth) + "]".repeat(depth) + "}"), 202);
            }
            webhook("huge array", f, "Notification", "[" + repeat("1", 3000) + "]", 202);
            webhook("huge array", f, "Notification", "[" + repeat(ignoredEvent("many"), 300) + "]", 202);
            webhook("huge event", f, "Notification", withRaw(registered("huge", "other-model", "1"), "subject",
                    quote("s".repeat((int) maxBody * 2))), 202);
        }
    }

    /** Events Greenlight must refuse or acknowledge without acting: each required attribute missing or wrong. */
    private List<String> badEvents() {
        List<String> out = new ArrayList<>();
        ObjectNode base = registered("bad-eg", MODEL, "../../1");
        for (String field : List.of("id", "topic", "eventType", "subject", "eventTime", "data", "dataVersion")) {
            ObjectNode without = base.deepCopy();
            without.remove(field);
            out.add(without.toString());
            ObjectNode other = registered("bad-eg-" + field, "other-model", "1");
            other.remove(field);
            out.add(other.toString());
        }
        for (String field : List.of("id", "topic", "eventType", "subject", "eventTime", "data")) {
            for (String wrong : WRONG_VALUES) {
                out.add(withRaw(base, field, wrong));
            }
        }
        for (String wrong : WRONG_VALUES) {
            out.add(withRaw(base, "data", "{\"modelName\": \"" + MODEL + "\", \"modelVersion\": " + invalidVersion(wrong) + "}"));
            out.add(withRaw(base, "data", "{\"modelName\": " + wrong + ", \"modelVersion\": \"../1\"}"));
            out.add(withRaw(base, "data", "{\"ModelName\": \"" + MODEL + "\", \"ModelVersion\": " + invalidVersion(wrong) + "}"));
        }
        for (String version : HOSTILE_VERSIONS) {
            out.add(registered("hostile-version", MODEL, version).toString());
            out.add(cloudEvent("ce-hostile-version", REGISTERED, "{\"modelName\": \"" + MODEL + "\", \"modelVersion\": "
                    + asciiQuote(version) + "}").toString());
        }
        for (String name : HOSTILE_NAMES) {
            out.add(registered("hostile-model", name, "1").toString());
        }
        for (String topic : List.of(LOCAL_TOPIC + "/../other", LOCAL_TOPIC.toUpperCase() + "x", "", " ", "../", "/",
                LOCAL_TOPIC + "\u0000", LOCAL_TOPIC.replace("local", "%6c%6f%63%61%6c"))) {
            out.add(registered("hostile-topic", MODEL, "../1").put("topic", topic).toString());
        }
        for (String type : List.of("", " ", REGISTERED + " ", REGISTERED.toLowerCase() + "x", "../", "\u0000",
                "Microsoft.MachineLearningServices.ModelDeployed", "Microsoft.Storage.BlobCreated")) {
            out.add(registered("hostile-type", "other-model", "1").put("eventType", type).toString());
        }
        for (String id : List.of("", " ", "i".repeat(257), "\u0000", "../../x")) {
            out.add(registered(id, MODEL, "../1").toString());
        }
        // Run events: no run id, a hostile one, one that registered nothing, statuses that are not one.
        ObjectNode run = runEvent("bad-run", RUN_COMPLETED, "{\"runId\": \"run-that-registered-nothing\"}");
        for (String data : List.of("{}", "{\"runId\": null}", "{\"runId\": \"\"}", "{\"runId\": 1}", "{\"runId\": {}}",
                "{\"runId\": []}", "{\"runId\": \"" + "r".repeat(300) + "\"}", "{\"runId\": \"../../x\"}",
                "{\"runId\": \"\\u0000\"}", "{\"RunId\": \"/etc/passwd\"}", "null", "\"run\"", "[]", "1e400")) {
            out.add(withRaw(run, "data", data));
        }
        ObjectNode status = runEvent("bad-run-status", RUN_STATUS_CHANGED, "{}");
        for (String data : List.of("{\"runId\": \"run-1\"}", "{\"runId\": \"run-1\", \"runStatus\": null}",
                "{\"runId\": \"run-1\", \"runStatus\": \"\"}", "{\"runId\": \"run-1\", \"runStatus\": \" \"}",
                "{\"runId\": \"run-1\", \"runStatus\": 1}", "{\"runId\": \"run-1\", \"runStatus\": {}}",
                "{\"runId\": \"run-1\", \"runStatus\": []}", "{\"runId\": \"run-1\", \"runStatus\": true}",
                "{\"runId\": \"run-1\", \"runStatus\": \"../../etc/passwd\"}",
                "{\"runId\": \"run-1\", \"runStatus\": \"\\u0000\"}", "{\"runId\": \"run-1\", \"runStatus\": \"Fai led\"}",
                "{\"runId\": \"run-1\", \"runStatus\": \"" + "F".repeat(5000) + "\"}", "{\"runStatus\": \"Failed\"}",
                "{\"runId\": \"\", \"runStatus\": \"Failed\"}", "{\"runId\": 1e400, \"runStatus\": \"Failed\"}")) {
            out.add(withRaw(status, "data", data));
        }
        // CloudEvents without each required attribute, or with one of the wrong kind.
        ObjectNode ce = cloudEvent("bad-ce", REGISTERED, "{\"modelName\": \"" + MODEL + "\", \"modelVersion\": \"../1\"}");
        for (String field : List.of("specversion", "id", "source", "type", "data")) {
            ObjectNode without = ce.deepCopy();
            without.remove(field);
            out.add(without.toString());
            ObjectNode other = cloudEvent("bad-ce-" + field, REGISTERED, "{\"modelName\": \"other-model\", \"modelVersion\": \"1\"}");
            other.remove(field);
            out.add(other.toString());
            for (String wrong : WRONG_VALUES) {
                out.add(withRaw(ce, field, wrong));
            }
        }
        for (String version : List.of("\"0.3\"", "\"1.0 \"", "\"2.0\"", "1.0", "1", "\"1\"", "\"\"")) {
            out.add(withRaw(ce, "specversion", version));
        }
        out.add(withRaw(ce, "specVersion", "\"1.0\"").replace("\"specversion\":\"1.0\",", ""));
        ObjectNode base64 = ce.deepCopy();
        base64.remove("data");
        for (String b64 : List.of("!!!not base64!!!", "", "====", Base64.getEncoder().encodeToString(
                "{\"modelName\": \"iris-clf\", \"modelVersion\": \"../1\"}".getBytes(StandardCharsets.UTF_8)),
                Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 0, 1, 2}))) {
            out.add(base64.deepCopy().put("data_base64", b64).toString());
        }
        out.add(ce.deepCopy().put("data_base64", "e30=").toString());
        out.add(ce.deepCopy().put("datacontenttype", "application/xml").toString());
        out.add(withRaw(ce, "data", quote("{\"modelName\": \"iris-clf\", \"modelVersion\": \"../1\"}")));
        out.add(withRaw(ce, "data", quote("<xml/>")));
        return out;
    }

    /** Batches of good events (acknowledged without a write) mixed with bad ones, and odd arrays. */
    private List<String> batches() {
        String ignored = ignoredEvent("batch-ignored");
        String otherModel = registered("batch-other-model", "other-model", "7").toString();
        String otherTopic = registered("batch-other-topic", MODEL, "1").put("topic", LOCAL_TOPIC.replace("local", "other"))
                .toString();
        String noRun = runEvent("batch-run", RUN_COMPLETED, "{\"runId\": \"run-that-registered-nothing\"}").toString();
        String ceIgnored = cloudEvent("batch-ce", "Microsoft.Storage.BlobCreated", "{\"url\": \"x\"}").toString();
        String bad = registered("batch-bad", MODEL, "../../1").toString();
        String noId = withRaw(registered("x", MODEL, "../1"), "id", "null");
        List<String> out = new ArrayList<>(List.of(
                "[" + ignored + ", " + bad + ", " + otherModel + "]",
                "[" + bad + ", 3, \"x\", null, true, {}, [], " + noRun + "]",
                "[" + otherTopic + ", " + noId + ", " + ceIgnored + ", " + bad + "]",
                "[[" + ignored + "]]", "[[]]", "[null]", "[1, \"x\", true, null, {}]", "[{}, {}, {}]",
                "[" + ignored + ", " + ignored + ", " + ignored + "]", "[" + ceIgnored + ", " + otherModel + "]",
                "[" + repeat(bad, 50) + "]", "{\"events\": [" + ignored + "]}", "[" + ignored + "," + "]".repeat(1)));
        List<String> parts = List.of(ignored, otherModel, otherTopic, noRun, ceIgnored, bad, noId, "1", "null", "{}", "[]");
        for (int i = 0; i < 20; i++) {
            List<String> batch = new ArrayList<>();
            int n = 2 + random.nextInt(8);
            for (int j = 0; j < n; j++) {
                batch.add(parts.get(random.nextInt(parts.size())));
            }
            out.add("[" + String.join(", ", batch) + "]");
        }
        out.removeIf(b -> !parses(b));
        return out;
    }

    private ObjectNode registered(String id, String model, String version) {
        ObjectNode data = JSON.createObjectNode().put("modelName", model).put("modelVersion", version);
        ObjectNode e = JSON.createObjectNode().put("id", id).put("topic", LOCAL_TOPIC)
                .put("subject", "models/" + model + ":" + version).put("eventType", REGISTERED)
                .put("eventTime", "2026-11-25T00:00:00Z");
        e.set("data", data);
        return e.put("dataVersion", "2").put("metadataVersion", "1");
    }

    private static String validation(String code) {
        return "[{\"id\": \"v\", \"eventType\": \"Microsoft.EventGrid.SubscriptionValidationEvent\","
                + " \"data\": {\"validationCode\": " + quote(code) + "}}]";
    }

    private String ignoredEvent(String id) {
        return registered(id, "other-model", "1").put("eventType", "Microsoft.Storage.BlobCreated").toString();
    }

    private ObjectNode runEvent(String id, String type, String data) {
        ObjectNode e = JSON.createObjectNode().put("id", id).put("topic", LOCAL_TOPIC).put("subject", "experiments/x/runs/r")
                .put("eventType", type).put("eventTime", "2026-11-25T00:00:00Z");
        e.set("data", parse(data));
        return e.put("dataVersion", "2").put("metadataVersion", "1");
    }

    private ObjectNode cloudEvent(String id, String type, String data) {
        ObjectNode e = JSON.createObjectNode().put("specversion", "1.0").put("id", id).put("source", LOCAL_TOPIC)
                .put("type", type).put("subject", "models/x").put("time", "2026-11-25T00:00:00Z")
                .put("datacontenttype", "application/json");
        e.set("data", parse(data));
        return e;
    }

    /** A delivery; a notification expected to be acknowledged (202) must be JSON, else the host answers 400. */
    private void webhook(String kind, String function, String eventType, String body, Integer expected) {
        if (expected != null && expected == 202 && "notification".equalsIgnoreCase(String.valueOf(eventType).trim())
                && !parses(body)) {
            expected = 400;
        }
        List<String> headers = new ArrayList<>(List.of("x-functions-key", eventGridKey, "Content-Type", "application/json"));
        if (eventType != null) {
            headers.add("aeg-event-type");
            headers.add(eventType);
        }
        add(route(function), kind, "POST", webhookTarget(function), utf8(body), headers, expected);
    }

    private static String webhookTarget(String function) {
        return "/runtime/webhooks/eventgrid?functionName=" + (function.contains("%") ? function : query(function));
    }

    private static String route(String function) {
        String f = function.toLowerCase();
        return WEBHOOK + (f.equals("onmodelregistered") ? " OnModelRegistered" : f.equals("onruncompleted")
                ? " OnRunCompleted" : " (unknown functionName)");
    }

    // ---- Random mutations ------------------------------------------------------------------

    private void randomCase() {
        String versionBad = "{\"model\": \"../" + MODEL + "\", \"version\": \"../../1\", \"force\": true}";
        switch (random.nextInt(8)) {
            case 0 -> predict("mutated", "", mutate(PREDICT_BODY), null);
            case 1 -> infer("mutated", "/api/v2/models/" + MODEL + "/infer",
                    mutate(oip("\"name\": " + quote(input), "[1, 4]", "\"FP32\"", ROW)), null);
            case 2 -> add(METADATA, "mutated", "GET", "/api/v2/models/" + segment(mutate(MODEL)), null, fn(), null);
            case 3 -> add(PROMOTE, "mutated", "POST", "/api/promote", utf8(mutate(versionBad)), admin(), null);
            case 4 -> add(ROLLBACK, "mutated", "POST", "/api/rollback",
                    utf8(mutate("{\"model\": \"../" + MODEL + "\", \"toVersion\": \"../../1\"}")), admin(), null);
            case 5 -> add(DECISIONS, "mutated", "GET", "/api/decisions?model=" + query(mutate(MODEL)) + "&limit="
                    + query(mutate("20")), null, fn(), null);
            case 6 -> refresh("mutated", mutate("{\"model\": \"" + MODEL + "\", \"version\": \"1\", \"generation\": 1}"), null);
            default -> {
                String f = random.nextBoolean() ? "OnModelRegistered" : "OnRunCompleted";
                String event = random.nextBoolean() ? registered("mutated", MODEL, "../../1").toString()
                        : cloudEvent("mutated", REGISTERED, "{\"modelName\": \"other-model\", \"modelVersion\": \"../../1\"}")
                        .toString();
                String body = mutate(random.nextBoolean() ? event : "[" + event + "]");
                webhook("mutated", f, "Notification", body, 202);
            }
        }
    }

    /** One to three random edits: delete, insert, duplicate a span, truncate, or swap in a hostile value. */
    private String mutate(String s) {
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits; i++) {
            int at = b.length() == 0 ? 0 : random.nextInt(b.length());
            switch (random.nextInt(5)) {
                case 0 -> {
                    if (b.length() > 0) {
                        b.deleteCharAt(at);
                    }
                }
                case 1 -> b.insert(at, MUTATION_CHARS[random.nextInt(MUTATION_CHARS.length)]);
                case 2 -> {
                    int end = Math.min(b.length(), at + 1 + random.nextInt(12));
                    b.insert(at, b.substring(at, end));
                }
                case 3 -> b.setLength(at);
                default -> {
                    List<String> pool = random.nextBoolean() ? WRONG_VALUES : HUGE_NUMBERS;
                    b.insert(at, pool.get(random.nextInt(pool.size())));
                }
            }
        }
        return b.toString();
    }

    // ---- Helpers ---------------------------------------------------------------------------

    private void add(String route, String kind, String method, String target, byte[] body, List<String> headers,
                     Integer expected) {
        cases.add(new Case(route, kind, method, target, body, List.copyOf(headers), expected));
    }

    private List<String> fn() {
        return List.of("x-functions-key", functionKey, "Content-Type", "application/json");
    }

    private List<String> admin() {
        return List.of("x-functions-key", adminKey, "Content-Type", "application/json");
    }

    private static List<byte[]> invalidUtf8() {
        byte[] prefix = "{\"model\": \"".getBytes(StandardCharsets.UTF_8);
        List<byte[]> out = new ArrayList<>();
        for (byte[] bad : List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xFF, (byte) 0xFE},
                new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, new byte[] {0})) {
            byte[] body = new byte[prefix.length + bad.length + 2];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            System.arraycopy(bad, 0, body, prefix.length, bad.length);
            body[body.length - 2] = '"';
            body[body.length - 1] = '}';
            out.add(body);
            out.add(bad);
        }
        return out;
    }

    /** A JSON value with {@code field} set to raw JSON text (numbers no JsonNode can hold, deep nesting). */
    private static String withRaw(ObjectNode node, String field, String raw) {
        ObjectNode copy = node.deepCopy();
        copy.put(field, "@@RAW@@");
        return copy.toString().replace("\"@@RAW@@\"", raw);
    }

    /** A wrong-typed version, with the string values that would be a valid id made invalid. */
    private static String invalidVersion(String wrong) {
        return switch (wrong) {
            case "0", "1.5", "1e-400", "123456789012345678901234567890", "9223372036854775808", "\"NaN\"",
                 "\"Infinity\"" -> "\"../" + wrong.replace("\"", "") + "\"";
            default -> wrong.startsWith("1111") || wrong.startsWith("\"x") ? "\"../x\"" : wrong;
        };
    }

    /** Whether the host's webhook reads {@code body} as JSON (bytes and decimals, as it does: a BOM is skipped). */
    static boolean parses(String body) {
        if (body.isEmpty()) {
            return false;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode node = DECIMALS.readTree(body.getBytes(StandardCharsets.UTF_8));
            return node != null && !node.isMissingNode();
        } catch (java.io.IOException | NumberFormatException e) {
            return false;
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String asciiQuote(String s) {
        try {
            return ASCII.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String repeat(String item, int n) {
        return String.join(", ", java.util.Collections.nCopies(n, item));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A query value, form-encoded. */
    static String query(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A path segment: every byte outside the unreserved characters percent-encoded ({@code ../} → {@code ..%2F}). */
    static String segment(String s) {
        return percent(s, c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.' || c == '_' || c == '~');
    }

    /** A path segment with the dots encoded too ({@code ../} → {@code %2E%2E%2F}). */
    static String segmentAll(String s) {
        return percent(s, c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '~');
    }

    private static String percent(String s, Function<Character, Boolean> keep) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (keep.apply(c)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
