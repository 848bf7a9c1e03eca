package dev.greenlight.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.config.SettingsException;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
    @Test
    void maps_every_kind_to_its_status() {
        assertThat(ErrorMapper.map(new BadRequest("malformed_json", "x")).status()).isEqualTo(400);
        assertThat(ErrorMapper.map(new Unauthorized("bad_signature", "x")).status()).isEqualTo(401);
        assertThat(ErrorMapper.map(new NotFound("unknown_model", "x")).status()).isEqualTo(404);
        assertThat(ErrorMapper.map(new Conflict("already_baseline", "x")).status()).isEqualTo(409);
        assertThat(ErrorMapper.map(new PayloadTooLarge("payload_too_large", "x")).status()).isEqualTo(413);
        assertThat(ErrorMapper.map(new Unavailable("model_unavailable", "x")).status()).isEqualTo(503);
        assertThat(ErrorMapper.map(new Misconfigured("x")).status()).isEqualTo(500);
    }

    @Test
    void a_bad_setting_is_500_misconfigured_with_the_settings_message() {
        ErrorMapper.HttpError error = ErrorMapper.map(
                new SettingsException("GREENLIGHT_POINTER_TTL must be a number of seconds, was 'soon'"));

        assertThat(error.status()).isEqualTo(500);
        assertThat(error.body()).isEqualTo("{\"error\":\"misconfigured\","
                + "\"detail\":\"GREENLIGHT_POINTER_TTL must be a number of seconds, was 'soon'\"}");
    }

    @Test
    void a_failure_outside_the_hierarchy_names_only_what_failed() {
        assertThat(ErrorMapper.internal("Decisions"))
                .isEqualTo(new ErrorMapper.HttpError(500, "{\"error\":\"internal\",\"detail\":\"Decisions failed\"}"));
    }
}
