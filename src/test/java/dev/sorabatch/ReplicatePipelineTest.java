package dev.sorabatch;

import dev.sorabatch.provider.ContractFace;

class ReplicatePipelineTest extends PipelineContract {

    @Override
    ContractFace face() {
        return ContractFace.REPLICATE;
    }
}
