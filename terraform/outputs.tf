output "registries" {
  description = "Each registry: its key and repositories, by the name of the CDKTF stack that manages the same registry."
  value = {
    ecr-destination-build-us-west-2 = {
      kms_key_arn  = module.destination_build_us_west_2_key.arn
      repositories = module.destination_build_us_west_2_repositories.repositories
    }
    ecr-destination-prod-eu-west-1 = {
      kms_key_arn  = module.destination_prod_eu_west_1_key.arn
      repositories = module.destination_prod_eu_west_1_repositories.repositories
    }
    ecr-source-build-us-east-1 = {
      kms_key_arn  = module.source_build_us_east_1_key.arn
      repositories = module.source_build_us_east_1_repositories.repositories
    }
  }
}
