package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.sorabatch.provider.ContractFace;

class VertexPipelineTest extends PipelineContract {

    @Override
    ContractFace face() {
        return ContractFace.VERTEX;
    }

    @Test
    void aResultRemovedBySafetyFiltersEndsFailedWithTheReasons() throws Exception {
        JsonNode item = only(run("filtered", "A crowd scene with the forbidden-word on a banner"));
        assertThat(item.path("status").asText()).isEqualTo("failed");
        assertThat(item.path("error").path("code").asText()).isEqualTo("content_filtered");
        assertThat(item.path("error").path("message").asText()).contains("removed 1 video")
                .contains("person generation blocked 1 video").contains("Support code: 58061214");
        assertThat(item.path("video").isNull()).isTrue();
    }
}
