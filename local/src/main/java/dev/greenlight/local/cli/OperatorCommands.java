package dev.greenlight.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The operator's commands against a running Greenlight: status, decisions, promote, rollback. */
final class OperatorCommands {
    private OperatorCommands() {
    }

    /** Runs a request; prints the answer; maps failures to exit codes (2 bad input, 3 rejected, 4 unreachable, 5 refused). */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HostOptions host;

        abstract int run(HostClient client, PrintWriter out);

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                return run(host.client(err), spec.commandLine().getOut());
            } catch (HostClient.Failure f) {
                err.println("greenlight: " + f.getMessage());
                return f.exitCode;
            }
        }

        /**
         * Posts to an admin route that answers with a decision, and prints it. One request id per
         * invocation: a retry of the same request is answered with the decision already made.
         */
        int decide(HostClient client, PrintWriter out, String path, ObjectNode body) {
            body.put("requestId", UUID.randomUUID().toString());
            HttpResponse<String> response = client.post(path, body.toString(), "admin.key");
            if (response.statusCode() != 200) {
                return refused(response, client);
            }
            JsonNode decision = client.json(response);
            Printer.decision(out, decision);
            return Printer.exitCode(decision);
        }

        int refused(HttpResponse<String> response, HostClient client) {
            JsonNode error = client.json(response);
            String code = error.path("error").asText();
            spec.commandLine().getErr().printf("greenlight: HTTP %d %s: %s%n", response.statusCode(), code,
                    error.path("detail").asText());
            if ("gate_rejected".equals(code)) {
                return 3;
            }
            return response.statusCode() == 400 || response.statusCode() == 404 ? 2 : 5;
        }
    }

    @Command(name = "status", description = "What the running Greenlight serves, and each model's ledger.")
    static final class Status extends Base {
        @Option(names = "--json", description = "Print the raw JSON of /api/status.")
        boolean json;

        @Override
        int run(HostClient client, PrintWriter out) {
            HttpResponse<String> response = client.get("/api/status", "function.key");
            if (response.statusCode() != 200) {
                return refused(response, client);
            }
            if (json) {
                out.println(client.json(response).toPrettyString());
            } else {
                Printer.status(out, client.json(response));
            }
            return 0;
        }
    }

    @Command(name = "decisions", description = "The most recent decisions, newest first.")
    static final class Decisions extends Base {
        @Option(names = "--model", converter = Names.Model.class, description = "Model (default: the first served).")
        String model;

        @Option(names = "--limit", defaultValue = "10", description = "How many, 1 to 500 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int run(HostClient client, PrintWriter out) {
            HttpResponse<String> response = client.get("/api/decisions?limit=" + limit
                    + (model == null ? "" : "&model=" + model), "function.key");
            if (response.statusCode() != 200) {
                return refused(response, client);
            }
            Printer.decisions(out, client.json(response));
            return 0;
        }
    }

    @Command(name = "promote",
            description = "Approve a pending candidate, or promote a version that passes the gate (--force: even if not).")
    static final class Promote extends Base {
        @Option(names = "--model", defaultValue = "iris-clf", converter = Names.Model.class,
                description = "Model (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--version", required = true, converter = Names.Version.class, paramLabel = "VERSION",
                description = "The model version to make the baseline.")
        String version;

        @Option(names = "--force", description = "Promote even when the gate rejects it (recorded as forced).")
        boolean force;

        @Override
        int run(HostClient client, PrintWriter out) {
            ObjectNode body = HostClient.JSON.createObjectNode().put("model", model).put("version", version)
                    .put("force", force);
            return decide(client, out, "/api/promote", body);
        }
    }

    @Command(name = "rollback", description = "Return to the previous baseline, or to --version VERSION.")
    static final class Rollback extends Base {
        @Option(names = "--model", defaultValue = "iris-clf", converter = Names.Model.class,
                description = "Model (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--version", converter = Names.Version.class, paramLabel = "VERSION",
                description = "The model version to return to (default: the previous baseline).")
        String version;

        // The earlier spelling of --version; it names nothing else, so it keeps working.
        @Option(names = "--to", hidden = true, converter = Names.Version.class)
        String to;

        @Override
        int run(HostClient client, PrintWriter out) {
            if (version != null && to != null) {
                throw new ParameterException(spec.commandLine(), "give the version to return to once, with --version");
            }
            ObjectNode body = HostClient.JSON.createObjectNode().put("model", model);
            String target = version != null ? version : to;
            if (target != null) {
                body.put("toVersion", target);
            }
            return decide(client, out, "/api/rollback", body);
        }
    }
}
