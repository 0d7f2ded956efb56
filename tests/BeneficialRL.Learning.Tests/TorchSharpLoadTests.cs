using TorchSharp;

namespace BeneficialRL.Learning.Tests;

public sealed class TorchSharpLoadTests
{
    [Fact]
    public void NativeLibrary_MultipliesTensors_OnDebian12()
    {
        using var a = torch.tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        using var b = torch.eye(2) * 2;
        using var product = a.matmul(b);
        Assert.Equal(new float[] { 2, 4, 6, 8 }, product.data<float>().ToArray());
    }
}
