from signatures.verification import verify_pdf, verify_reference


def test_sample(signed, signed_sample):
    result = verify_pdf(signed_sample["pdf"])
    print(result.status, result.detail, result.time_source)
    assert result.valid, result.detail
    result = verify_reference(reference=signed.reference, code=signed.verification_code)
    assert result.valid, result.detail
