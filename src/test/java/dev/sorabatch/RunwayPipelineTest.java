package dev.sorabatch;

import dev.sorabatch.provider.ContractFace;

class RunwayPipelineTest extends PipelineContract {

    @Override
    ContractFace face() {
        return ContractFace.RUNWAY;
    }
}
