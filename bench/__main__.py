from bench import tenant_scoping

if __name__ == "__main__":
    tenant_scoping.main()
