namespace FastMlp;

public sealed partial class TrainerOptions<T>
{
    /// <summary>
    /// Save a checkpoint (weights, optimizer state, schedule and early-stopping state, epoch, shuffle
    /// state) to <see cref="CheckpointDirectory"/> every this many epochs during <see cref="Trainer{T}.Fit"/>;
    /// 0 (default) saves none. Continue with <see cref="Trainer{T}.Resume"/>.
    /// </summary>
    public int CheckpointEvery { get; set; }

    /// <summary>Folder of the checkpoint file (<c>checkpoint.safetensors</c>, replaced atomically each time); created if missing.</summary>
    public string? CheckpointDirectory { get; set; }
}
