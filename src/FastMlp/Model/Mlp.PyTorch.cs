using FastMlp.Serialization;

namespace FastMlp;

public sealed partial class Mlp<T>
{
    /// <summary>
    /// Imports a network trained in PyTorch: the <c>state_dict</c> of an <c>nn.Sequential</c> of <c>nn.Linear</c>
    /// layers (with activation modules between them) saved in the safetensors layout by
    /// <c>safetensors.torch.save_file(model.state_dict(), path)</c>. The file holds tensors <c>N.weight</c>
    /// [out_features × in_features] and <c>N.bias</c> [out_features], N being the module's index in the
    /// Sequential; indices need not be consecutive (a ReLU at index 1 has no tensors) and are taken in increasing
    /// order. Weights and biases may be F32, F16, BF16 or F64 and are rounded to <typeparamref name="T"/>; the
    /// weights are transposed to FastMlp's [inputs × outputs]. Any other tensor (a BatchNorm's statistics, a
    /// LayerNorm's scale, a nested module) is refused, not skipped, since it would change the predictions. The
    /// model has no standardizer, loss or names: set <see cref="ClassNames"/> and the others as needed.
    /// </summary>
    /// <param name="path">The safetensors file.</param>
    /// <param name="hidden">
    /// The activation between Linear layers (the file does not record it: activation modules have no
    /// parameters): <c>nn.ReLU</c> → <see cref="Activation.ReLU"/>, <c>nn.Tanh</c> → <see cref="Activation.Tanh"/>, …
    /// </param>
    /// <param name="output">
    /// The activation after the last Linear layer: <see cref="Activation.Softmax"/> for a classifier trained with
    /// <c>nn.CrossEntropyLoss</c> on logits (the probabilities), <see cref="Activation.Identity"/> for the raw
    /// outputs or a regression.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hidden"/> or <paramref name="output"/> is not a defined activation.</exception>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="ModelFormatException">
    /// The file is not a valid safetensors file, or not a Linear stack: a tensor that is not <c>N.weight</c> or
    /// <c>N.bias</c>, a weight without its bias (or the reverse), no layer at all, a dtype other than F32, F16, BF16
    /// or F64, a weight that is not 2-D or a bias that does not match it, layers whose shapes do not chain, or a
    /// value that is not finite in <typeparamref name="T"/>. The message names the file, the tensors and their shapes.
    /// </exception>
    public static Mlp<T> ImportPyTorch(string path, Activation hidden, Activation output)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Guard.Defined(hidden);
        Guard.Defined(output);
        Numerics.Gemm.CheckType<T>();
        return PyTorchStateDict<T>.Import(path, hidden, output);
    }

    /// <summary>
    /// Imports a PyTorch state dict from a seekable stream; <paramref name="source"/> names it in error messages.
    /// See <see cref="ImportPyTorch(string, Activation, Activation)"/> for the layout and the rules.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not seekable (its length bounds what is read from it).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hidden"/> or <paramref name="output"/> is not a defined activation.</exception>
    /// <exception cref="ModelFormatException">The content is not a PyTorch Linear stack FastMlp can import (see the path overload).</exception>
    public static Mlp<T> ImportPyTorch(Stream stream, Activation hidden, Activation output, string source = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            ThrowHelper.Argument(nameof(stream), "The stream must be seekable (its length bounds what is read from it).");
        }
        Guard.Defined(hidden);
        Guard.Defined(output);
        Numerics.Gemm.CheckType<T>();
        return PyTorchStateDict<T>.Import(stream, hidden, output, source);
    }
}
