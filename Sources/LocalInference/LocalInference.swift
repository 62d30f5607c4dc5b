// LocalInference: runs GGUF models (llama architecture) on the CPU and produces candidate outputs.
