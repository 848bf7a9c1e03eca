package dev.greenlight.registry.arm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.errors.ErrorMapper;
import dev.greenlight.errors.GreenlightException;
import org.junit.jupiter.api.Test;

/** Every ARM failure is the registry being unavailable (503), with a code that says why. */
class ArmExceptionTest {
    @Test
    void no_answer_throttling_and_server_errors_are_registry_unavailable() {
        for (int status : new int[]{0, 408, 429, 500, 502, 503, 504}) {
            assertThat(mapped(new ArmException("ARM failed", status, null, null)))
                    .as("status %d", status).isEqualTo("503 registry_unavailable");
        }
    }

    @Test
    void refused_access_is_registry_access_denied() {
        assertThat(mapped(new ArmAccessDenied("lacks access", 403, "AuthorizationFailed", null)))
                .isEqualTo("503 registry_access_denied");
        assertThat(mapped(new ArmException("no token", 401, null, null))).isEqualTo("503 registry_access_denied");
    }

    @Test
    void a_missing_workspace_is_registry_not_found_and_other_refusals_registry_rejected() {
        assertThat(mapped(new ArmException("ResourceGroupNotFound", 404, "ResourceGroupNotFound", null)))
                .isEqualTo("503 registry_not_found");
        assertThat(mapped(new ArmException("version exists", 409, "ModelVersionExists", null)))
                .isEqualTo("503 registry_rejected");
        assertThat(mapped(new ArmException("bad request", 400, "BadRequest", null))).isEqualTo("503 registry_rejected");
    }

    @Test
    void the_body_carries_arms_detail() {
        ArmException e = new ArmException("Azure ML GET /x failed: 503 ServiceUnavailable: try later", 503,
                "ServiceUnavailable", null);

        assertThat(e.kind()).isEqualTo(GreenlightException.Kind.UNAVAILABLE);
        assertThat(ErrorMapper.map(e).body()).isEqualTo("{\"error\":\"registry_unavailable\","
                + "\"detail\":\"Azure ML GET /x failed: 503 ServiceUnavailable: try later\"}");
    }

    private static String mapped(ArmException e) {
        return ErrorMapper.map(e).status() + " " + e.code();
    }
}
