package dev.greenlight.registry.arm;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Azure ML workspace or registry, parsed from its ARM resource id:
 * <pre>
 * /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{name}
 * /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/registries/{name}
 * </pre>
 * ARM treats the fixed segments case-insensitively, and so does {@link #parse}; {@link #id()} is canonical.
 */
public record AzureMlResource(Kind kind, String subscriptionId, String resourceGroup, String name) {

    /** What kind of Azure ML resource holds the models. */
    public enum Kind {
        WORKSPACE("workspaces"), REGISTRY("registries");

        private final String segment;

        Kind(String segment) {
            this.segment = segment;
        }
    }

    private static final String NAME = "([^/?#\\s]+)";
    private static final Pattern ID = Pattern.compile("/subscriptions/" + NAME + "/resourceGroups/" + NAME
            + "/providers/Microsoft\\.MachineLearningServices/(workspaces|registries)/" + NAME + "/?",
            Pattern.CASE_INSENSITIVE);

    public AzureMlResource {
        Objects.requireNonNull(kind, "kind");
        for (String part : new String[] {subscriptionId, resourceGroup, name}) {
            if (part == null || !part.matches(NAME)) {
                throw new IllegalArgumentException("invalid " + kind.segment + " id part: '" + part + "'");
            }
        }
    }

    /**
     * Parses a workspace or registry resource id.
     *
     * @throws IllegalArgumentException naming the id when it is neither
     */
    public static AzureMlResource parse(String id) {
        Matcher m = ID.matcher(id == null ? "" : id.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not an Azure ML workspace or registry resource id: '" + id
                    + "' (expected /subscriptions/{subscription}/resourceGroups/{group}/providers/"
                    + "Microsoft.MachineLearningServices/workspaces/{name} or .../registries/{name})");
        }
        Kind kind = m.group(3).toLowerCase(Locale.ROOT).equals("workspaces") ? Kind.WORKSPACE : Kind.REGISTRY;
        return new AzureMlResource(kind, m.group(1), m.group(2), m.group(4));
    }

    /** True when the value is meant as a resource id (starts with {@code /subscriptions/}), valid or not. */
    public static boolean looksLikeResourceId(String value) {
        return value != null && value.trim().regionMatches(true, 0, "/subscriptions/", 0, "/subscriptions/".length());
    }

    /** A workspace in another resource group or subscription, e.g. one named by a long {@code azureml://} URI. */
    public static AzureMlResource workspace(String subscriptionId, String resourceGroup, String name) {
        return new AzureMlResource(Kind.WORKSPACE, subscriptionId, resourceGroup, name);
    }

    /** The canonical resource id. */
    public String id() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.MachineLearningServices/" + kind.segment + "/" + name;
    }

    /** {@code {id}/models/{model}/versions}, the model name percent-encoded. */
    String versionsPath(String model) {
        return id() + "/models/" + ArmClient.segment(requireName("model", model)) + "/versions";
    }

    /** {@code {id}/models/{model}/versions/{version}}, both percent-encoded. */
    String versionPath(String model, String version) {
        return versionsPath(model) + "/" + ArmClient.segment(requireName("version", version));
    }

    private static String requireName(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty, was '" + value + "'");
        }
        return value;
    }

    @Override
    public String toString() {
        return id();
    }
}
