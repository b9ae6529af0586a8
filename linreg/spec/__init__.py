"""linreg's specification as a pytest plugin: .feature files, the step vocabulary, regression reports.

``pip install 'linreg[spec]'`` registers ``linreg.spec.plugin`` with pytest (entry point
``pytest11``), so ``pytest my.feature`` runs a feature written in the step vocabulary anywhere.
The library never imports this package.
"""
