package dev.sorabatch;

import dev.sorabatch.provider.ContractFace;

class FalPipelineTest extends PipelineContract {

    @Override
    ContractFace face() {
        return ContractFace.FAL;
    }
}
