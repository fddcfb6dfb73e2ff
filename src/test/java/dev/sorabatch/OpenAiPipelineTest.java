package dev.sorabatch;

import dev.sorabatch.provider.ContractFace;

class OpenAiPipelineTest extends PipelineContract {

    @Override
    ContractFace face() {
        return ContractFace.OPENAI;
    }
}
